//! Client addresses behind reverse proxies: `ADUAN_TRUSTED_PROXIES` lists the proxies (CIDR
//! blocks) whose `X-Forwarded-For` is believed. The client is the rightmost address in the
//! chain that is not a trusted proxy: everything left of it was written by the client itself
//! and proves nothing. With no trusted proxies the header is ignored.

use std::net::IpAddr;

/// A list of CIDR blocks (`10.0.0.0/8`, `127.0.0.1`, `fd00::/8`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl TrustedProxies {
    /// Parses a comma- or space-separated list; a bare address is a single host.
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut out = Vec::new();
        for item in list
            .split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let (addr, bits) = match item.split_once('/') {
                Some((a, b)) => (a, Some(b)),
                None => (item, None),
            };
            let ip: IpAddr = addr
                .parse()
                .map_err(|_| format!("{item:?} is not an IP address or CIDR block"))?;
            let max = if ip.is_ipv4() { 32 } else { 128 };
            let bits = match bits {
                Some(b) => b
                    .parse::<u8>()
                    .ok()
                    .filter(|b| *b <= max)
                    .ok_or_else(|| format!("{item:?} has a bad prefix length"))?,
                None => max,
            };
            out.push((ip, bits));
        }
        Ok(Self(out))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0
            .iter()
            .any(|(net, bits)| in_block(ip, canonical(*net), *bits))
    }

    /// The client of a request that reached us from `peer` with these `X-Forwarded-For` values
    /// (in header order): the rightmost address that is not a trusted proxy.
    pub fn client(&self, peer: IpAddr, forwarded: &[&str]) -> IpAddr {
        if !self.contains(peer) {
            return peer;
        }
        let chain: Vec<&str> = forwarded
            .iter()
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        for hop in chain.iter().rev() {
            match hop.parse::<IpAddr>() {
                Ok(ip) => {
                    client = ip;
                    if !self.contains(ip) {
                        return ip;
                    }
                }
                // Garbage: nothing further left can be trusted either.
                Err(_) => return client,
            }
        }
        client
    }
}

/// IPv4-mapped IPv6 addresses compare as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

fn in_block(ip: IpAddr, net: IpAddr, bits: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - bits as u32)
            };
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - bits as u32)
            };
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_client_is_the_rightmost_untrusted_hop() {
        let p = TrustedProxies::parse("10.0.0.0/8, 192.168.1.1 fd00::/8").unwrap();
        // A client writes its own X-Forwarded-For: the leftmost value is a lie.
        assert_eq!(
            p.client(ip("10.0.0.5"), &["1.2.3.4, 203.0.113.9"]),
            ip("203.0.113.9")
        );
        // Two proxies of ours in the chain.
        assert_eq!(
            p.client(ip("10.0.0.5"), &["203.0.113.9, 192.168.1.1", "10.1.1.1"]),
            ip("203.0.113.9")
        );
        // From an untrusted peer, the header is ignored.
        assert_eq!(
            p.client(ip("198.51.100.7"), &["1.2.3.4"]),
            ip("198.51.100.7")
        );
        // Garbage stops the walk at the last good hop.
        assert_eq!(
            p.client(ip("10.0.0.5"), &["1.2.3.4, nonsense"]),
            ip("10.0.0.5")
        );
        // No header: the proxy itself.
        assert_eq!(p.client(ip("10.0.0.5"), &[]), ip("10.0.0.5"));
        assert!(p.contains(ip("fd12::1")) && !p.contains(ip("2001:db8::1")));
        assert!(p.contains(ip("::ffff:10.2.3.4")));
        // No trusted proxies: the peer, always.
        assert_eq!(
            TrustedProxies::default().client(ip("127.0.0.1"), &["1.2.3.4"]),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn bad_lists_are_refused() {
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("proxy.local").is_err());
        assert!(TrustedProxies::parse("").unwrap().is_empty());
    }
}
