// Aduan on a phone with a weak signal: the report form keeps what was typed (a draft in this
// browser), a report sent without a connection waits on the phone and goes when the connection
// returns (no report twice: each carries its idempotency key), and a service worker keeps the
// citizen pages for offline use.
//
// A small plain script on purpose: it runs before the WebAssembly arrives (a citizen on a slow
// network types for seconds before it does) and costs ~4 KB. Everything it sends goes through the
// same form post as the page without JavaScript (`POST /lapor`). Loaded by every page (`defer`)
// and by the service worker (`importScripts`), which uses only `AduanQueue`.
'use strict';

(function (global) {
  const DRAFT = 'aduan.draft.v1';
  const DB = 'aduan';
  const STORE = 'queue';
  const KEY_FIELD = 'idempotency_key';

  // A new idempotency key: 16 random bytes, base64url (what the server accepts).
  function newKey() {
    const bytes = new Uint8Array(16);
    global.crypto.getRandomValues(bytes);
    return btoa(String.fromCharCode.apply(null, bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function open() {
    return new Promise((resolve, reject) => {
      const req = global.indexedDB.open(DB, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'key' });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  function tx(mode, run) {
    return open().then(
      (db) =>
        new Promise((resolve, reject) => {
          const t = db.transaction(STORE, mode);
          const out = run(t.objectStore(STORE));
          t.oncomplete = () => resolve(out && 'result' in out ? out.result : undefined);
          t.onerror = () => reject(t.error);
        }),
    );
  }

  function csrfCookie() {
    if (typeof document === 'undefined') return null;
    const m = document.cookie.match(/(?:^|;\s*)(?:__Host-)?aduan_csrf=([0-9a-f]{64})/);
    return m ? m[1] : null;
  }

  // Reports saved on this phone, waiting for a connection.
  const AduanQueue = {
    newKey,
    add: (item) => tx('readwrite', (s) => s.put(item)),
    all: () => tx('readonly', (s) => s.getAll()),
    remove: (key) => tx('readwrite', (s) => s.delete(key)),
    // Sends every waiting report through the form post. Each outcome stays in the store until a
    // page has shown it (a sync may send while no page is open): `code` when sent (the tracking
    // code; the text is dropped), `refused` when the server refused it as typed (the page gives
    // the text back to the form). No connection or a temporary failure: it keeps waiting.
    flush: async function () {
      if (AduanQueue.busy) return;
      AduanQueue.busy = true;
      try {
        for (const item of await AduanQueue.all()) {
          if (item.code || item.refused) continue;
          const body = new FormData();
          for (const [name, value] of item.fields) body.append(name, value);
          for (const file of item.files || []) body.append('files', file, file.name);
          body.set(KEY_FIELD, item.key);
          // The anti-forgery token: the cookie's (readable by the site's own script) when this
          // is a page, else the one the form had when the report was saved.
          const token = csrfCookie() || item.csrf || '';
          let res;
          try {
            res = await fetch('/lapor', { method: 'POST', body, credentials: 'same-origin', redirect: 'follow', headers: { 'x-csrf-token': token } });
          } catch (_) {
            continue;
          }
          const at = new URL(res.url);
          if (res.ok && at.pathname.startsWith('/lacak/')) {
            await AduanQueue.add({ key: item.key, at: item.at, code: at.pathname.slice('/lacak/'.length) });
          } else if (res.status === 422 || res.status === 400 || res.status === 413) {
            await AduanQueue.add({ ...item, files: [], refused: true });
          }
        }
      } finally {
        AduanQueue.busy = false;
      }
    },
  };
  global.AduanQueue = AduanQueue;

  if (typeof document === 'undefined') return; // the service worker

  // ---- The page ----
  const id = (document.documentElement.lang || 'id') === 'id';
  const T = id
    ? {
        restored: 'Draf laporan Anda dipulihkan dari ponsel ini.',
        discard: 'Buang draf',
        queued: 'Tersimpan di ponsel ini, belum terkirim. Laporan akan dikirim otomatis saat sinyal kembali.',
        queuedMany: (n) => `${n} laporan tersimpan di ponsel ini, belum terkirim. Akan dikirim otomatis saat sinyal kembali.`,
        sendNow: 'Kirim sekarang',
        sent: 'Laporan terkirim. Kode lacak Anda:',
        open: 'Buka laporan',
        refused: 'Laporan yang tersimpan belum dapat dikirim: ada isian yang perlu diperbaiki. Isinya dikembalikan ke formulir; periksa lalu kirim lagi.',
        toForm: 'Buka formulir',
      }
    : {
        restored: 'Your report draft was restored from this phone.',
        discard: 'Discard draft',
        queued: 'Saved on this phone, not yet sent. It will be sent automatically when the signal returns.',
        queuedMany: (n) => `${n} reports saved on this phone, not yet sent. They will be sent automatically when the signal returns.`,
        sendNow: 'Send now',
        sent: 'Report sent. Your tracking code:',
        open: 'Open the report',
        refused: 'The saved report could not be sent: some fields need correcting. Its text is back in the form; check it and send again.',
        toForm: 'Open the form',
      };

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    for (const c of children) e.append(c);
    return e;
  }
  const BOX = 'rounded border-2 p-3';
  const BUTTON = 'ml-2 inline-flex min-h-11 items-center rounded border-2 border-emerald-800 px-3 font-semibold text-emerald-900 underline-offset-2 hover:underline focus:outline-none focus:ring-4 focus:ring-amber-400';

  // The notices go into the page's own place for them (`#phone-notices`, at the top of the
  // main content: the page renders it empty, so hydration leaves what is put in it).
  function notice(name, box) {
    const old = document.querySelector(`[data-testid="${name}"]`);
    if (old) old.remove();
    if (!box) return;
    box.setAttribute('data-testid', name);
    const place = document.getElementById('phone-notices');
    if (place) place.append(box);
  }

  // ---- Drafts of the report form ----
  // The form may come with the page or later (the app moves between pages without loading
  // them): it is found again whenever the page changes, and every listener is on the document.
  let form = null;
  let keyInput = null;

  // What the person typed and chose (not the form's hidden fields: its key, its anti-forgery
  // token, which change).
  function fieldsOf(f) {
    const out = [];
    for (const e of Array.from(f.elements)) {
      if (!e.name || ['hidden', 'file', 'submit', 'button', 'reset'].includes(e.type)) continue;
      if ((e.type === 'checkbox' || e.type === 'radio') && !e.checked) continue;
      out.push([e.name, e.value]);
    }
    return out;
  }
  function filesOf(f) {
    const input = f.querySelector('input[type="file"]');
    return input ? Array.from(input.files || []) : [];
  }
  function fill(f, fields) {
    const byName = new Map();
    for (const [name, value] of fields) byName.set(name, (byName.get(name) || []).concat([value]));
    for (const e of Array.from(f.elements)) {
      if (!e.name || ['hidden', 'file', 'submit', 'button', 'reset'].includes(e.type)) continue;
      const values = byName.get(e.name) || [];
      if (e.type === 'checkbox' || e.type === 'radio') e.checked = values.includes(e.value);
      else e.value = values[0] || '';
    }
  }
  function pristine(f) {
    return fieldsOf(f).every(([name, value]) => value === '' || name === 'province');
  }
  function saveDraft() {
    if (!form) return;
    const fields = fieldsOf(form);
    if (fields.every(([, v]) => v === '')) {
      localStorage.removeItem(DRAFT);
      return;
    }
    localStorage.setItem(DRAFT, JSON.stringify({ key: keyInput ? keyInput.value : newKey(), at: Date.now(), fields }));
  }
  function readDraft() {
    try {
      return JSON.parse(localStorage.getItem(DRAFT) || 'null');
    } catch (_) {
      return null;
    }
  }
  function discard() {
    localStorage.removeItem(DRAFT);
    notice('draft-restored', null);
    if (form) {
      fill(form, []);
      if (keyInput) keyInput.value = newKey();
      const first = form.querySelector('input:not([type="hidden"]), textarea');
      if (first) first.focus();
    }
  }
  // A report form on the page now: its draft back, or a key of its own.
  function attach() {
    const found = document.getElementById('report-form');
    if (found === form) return;
    form = found;
    keyInput = form && form.querySelector(`input[name="${KEY_FIELD}"]`);
    if (!form) {
      notice('draft-restored', null);
      return;
    }
    const draft = readDraft();
    if (draft && pristine(form)) {
      fill(form, draft.fields);
      if (keyInput && draft.key) keyInput.value = draft.key;
      const button = el('button', { type: 'button', class: BUTTON }, T.discard);
      button.addEventListener('click', discard);
      notice('draft-restored', el('div', { role: 'status', class: `${BOX} border-emerald-800 bg-emerald-50` }, T.restored, button));
    } else if (keyInput && !draft) {
      // A form kept by the service worker may carry a key already used: each draft its own.
      keyInput.value = newKey();
    }
  }
  attach();
  new MutationObserver(attach).observe(document.body, { childList: true, subtree: true });

  const ours = (ev) => form !== null && ev.target instanceof Element && ev.target.closest('form') === form;
  let timer;
  const later = (ev) => {
    if (!ours(ev)) return;
    clearTimeout(timer);
    timer = setTimeout(saveDraft, 300);
  };
  document.addEventListener('input', later, true);
  document.addEventListener('change', later, true);
  document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && saveDraft());
  // Sent (the interactive form resets itself after a report is received): the draft is done.
  document.addEventListener(
    'reset',
    (ev) => {
      if (!ours(ev)) return;
      clearTimeout(timer);
      localStorage.removeItem(DRAFT);
      notice('draft-restored', null);
      const key = keyInput;
      if (key) setTimeout(() => (key.value = newKey()), 0);
    },
    true,
  );
  // No connection: the report waits on this phone instead of failing. Before the
  // WebAssembly, the submit while offline decides (caught first, on the way down); once
  // interactive, the form asks with `aduan:unreachable` when the server could not be reached.
  const queue = async (ev) => {
    ev.preventDefault();
    if (ev.type === 'submit') ev.stopImmediatePropagation();
    const f = form;
    const csrf = f.querySelector('input[name="csrf"]');
    await AduanQueue.add({ key: keyInput ? keyInput.value : newKey(), at: Date.now(), fields: fieldsOf(f), files: filesOf(f), csrf: csrf ? csrf.value : '' });
    clearTimeout(timer);
    localStorage.removeItem(DRAFT);
    notice('draft-restored', null);
    fill(f, []);
    const files = f.querySelector('input[type="file"]');
    if (files) files.value = '';
    if (keyInput) keyInput.value = newKey();
    await showQueue();
    if (navigator.serviceWorker && navigator.serviceWorker.ready) {
      navigator.serviceWorker.ready.then((reg) => reg.sync && reg.sync.register('aduan-send')).catch(() => {});
    }
  };
  document.addEventListener('submit', (ev) => ours(ev) && navigator.onLine === false && queue(ev), true);
  document.addEventListener('aduan:unreachable', (ev) => ours(ev) && queue(ev), true);

  // A report received: its tracking page says so (`?baru=1`); any draft is done.
  if (/^\/lacak\/./.test(location.pathname) && /[?&]baru=1/.test(location.search)) localStorage.removeItem(DRAFT);

  // ---- The queue, on every page ----
  async function showQueue() {
    const items = await AduanQueue.all().catch(() => []);
    for (const item of items.filter((i) => i.code)) {
      const link = el('a', { href: `/lacak/${item.code}?baru=1`, class: BUTTON }, T.open);
      // Shown until opened: the tracking code is the reporter's only key to the report.
      link.addEventListener('click', () => AduanQueue.remove(item.key));
      notice(`queue-sent-${item.key}`, el('div', { role: 'status', class: `${BOX} border-emerald-800 bg-emerald-50`, 'data-queue-sent': '' }, `${T.sent} `, el('strong', { class: 'font-mono', 'data-testid': 'queue-code' }, item.code.replace(/(.{4})(?=.)/g, '$1-')), ' ', link));
    }
    for (const item of items.filter((i) => i.refused)) {
      if (form && pristine(form)) {
        fill(form, item.fields);
        if (keyInput) keyInput.value = newKey();
      } else {
        localStorage.setItem(DRAFT, JSON.stringify({ key: newKey(), at: Date.now(), fields: item.fields }));
      }
      await AduanQueue.remove(item.key);
      const extra = form ? [] : [el('a', { href: '/lapor', class: BUTTON }, T.toForm)];
      notice('queue-refused', el('div', { role: 'alert', class: `${BOX} border-red-700 bg-red-50` }, T.refused, ...extra));
    }
    const waiting = items.filter((i) => !i.code && !i.refused).length;
    if (!waiting) {
      notice('queue-waiting', null);
      return;
    }
    const button = el('button', { type: 'button', class: BUTTON }, T.sendNow);
    button.addEventListener('click', send);
    notice('queue-waiting', el('div', { role: 'status', class: `${BOX} border-amber-600 bg-amber-50` }, waiting === 1 ? T.queued : T.queuedMany(waiting), button));
  }
  async function send() {
    if (navigator.onLine !== false) await AduanQueue.flush();
    return showQueue();
  }
  global.addEventListener('online', send);
  if (global.indexedDB) send();

  // The service worker: the citizen pages offline, and Background Sync where the browser has it.
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js').catch(() => {});
    navigator.serviceWorker.addEventListener('message', (e) => e.data && e.data.type === 'aduan-sent' && showQueue());
  }
})(self);
