// Aduan's service worker: the citizen pages and the bundle kept for offline use, and reports
// waiting on the phone sent by Background Sync where the browser has it (else the page sends
// them on its next visit or when the connection returns: see offline.js).
//
// What is kept: the bundle files (`/pkg/…`, named by their content: kept as they are), and the
// citizen pages that hold nothing personal (`/`, `/lapor`, `/lacak`, `/laporan`, `/statistik`)
// with the fixed-name files they use (this script's helper, the icon, the manifest): network
// first, the kept copy only without a connection. Never kept: tracking pages (their
// address is a secret), staff pages, the API, anything but GET, and any page answered
// `no-store` (every page of a signed-in person: their name is in it).
'use strict';
importScripts('/offline.js');

const CACHE = 'aduan-v1';
const PAGES = ['/', '/lapor', '/lacak', '/laporan', '/statistik'];
// The fixed-name files the pages use (checked with the server first, the kept copy offline).
const FILES = ['/offline.js', '/favicon.svg', '/manifest.webmanifest', '/icon-192.png'];

// A page for a signed-in person (`Cache-Control: private, no-store`: their name is in it) is
// never kept: a shared phone must not show it to the next person, even offline.
const keepable = (res) => res.ok && !/no-store/.test(res.headers.get('cache-control') || '');

// The pages and every bundle file they name.
async function keepShell() {
  const cache = await caches.open(CACHE);
  for (const page of ['/', '/lapor']) {
    try {
      const res = await fetch(page, { credentials: 'same-origin' });
      if (!keepable(res)) continue;
      await cache.put(page, res.clone());
      const html = await res.text();
      const files = new Set();
      for (const m of html.matchAll(/["'](\/pkg\/[^"'?#]+)["']/g)) files.add(m[1]);
      for (const f of [...FILES, ...files]) {
        if (!(await cache.match(f))) await cache.add(f).catch(() => {});
      }
    } catch (_) {
      // Offline while installing: kept on the next visit.
    }
  }
}

self.addEventListener('install', (e) => {
  self.skipWaiting();
  e.waitUntil(keepShell());
});

self.addEventListener('activate', (e) => {
  e.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
      // Old bundle files: only those the kept pages still name stay.
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (e) => {
  const req = e.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/pkg/')) {
    // Named by content: a kept copy is the file.
    e.respondWith(
      caches.open(CACHE).then(async (cache) => {
        const hit = await cache.match(req);
        if (hit) return hit;
        const res = await fetch(req);
        if (res.ok) cache.put(req, res.clone());
        return res;
      }),
    );
    return;
  }
  const page = req.mode === 'navigate' && PAGES.includes(url.pathname) && !url.search;
  if (page || FILES.includes(url.pathname)) {
    e.respondWith(
      (async () => {
        const cache = await caches.open(CACHE);
        try {
          const res = await fetch(req);
          if (keepable(res)) cache.put(url.pathname, res.clone());
          else if (res.ok) cache.delete(url.pathname);
          return res;
        } catch (err) {
          const kept = await cache.match(url.pathname);
          if (kept) return kept;
          throw err;
        }
      })(),
    );
  }
});

// Background Sync: the waiting reports go as soon as the phone has a connection again; open
// pages are told what happened.
self.addEventListener('sync', (e) => {
  if (e.tag !== 'aduan-send') return;
  e.waitUntil(
    (async () => {
      await self.AduanQueue.flush();
      const clients = await self.clients.matchAll({ type: 'window' });
      for (const c of clients) c.postMessage({ type: 'aduan-sent' });
      const waiting = (await self.AduanQueue.all()).some((i) => !i.code && !i.refused);
      if (waiting) throw new Error('still waiting'); // the browser tries again later
    })(),
  );
});
