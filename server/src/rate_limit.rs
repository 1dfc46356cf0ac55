//! A fixed-window limiter for tracking-code lookups, per client address.
//!
//! It lives in process memory: with several instances each enforces its own window, so the
//! effective limit is at most `instances × limit`. That keeps lookups cheap (no write per
//! lookup) and still makes guessing an 80-bit code hopeless.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct RateLimiter {
    limit: u32,
    window: Duration,
    state: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl RateLimiter {
    pub fn new(limit: u32, window: Duration) -> Self {
        Self {
            limit,
            window,
            state: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one request from `ip` at `now`; `false` when it is over the limit.
    pub fn check(&self, ip: IpAddr, now: Instant) -> bool {
        let mut map = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            let window = self.window;
            map.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let entry = map.entry(ip).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= self.limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_the_limit_then_refuses_until_the_window_ends() {
        let rl = RateLimiter::new(3, Duration::from_secs(60));
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let t0 = Instant::now();
        assert!(rl.check(a, t0) && rl.check(a, t0) && rl.check(a, t0));
        assert!(!rl.check(a, t0));
        assert!(rl.check(b, t0), "other clients are not affected");
        assert!(rl.check(a, t0 + Duration::from_secs(61)));
    }
}
