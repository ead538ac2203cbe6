//! Who is the client: the address that rate limits count against.
//!
//! Behind a reverse proxy every request comes from the proxy, and the client's address is in
//! `X-Forwarded-For`. That header is a list every proxy appends to, and anything left of the
//! hop our own proxy wrote may have been written by the client itself. So the header is read
//! only when the request comes from a configured trusted proxy, and from the right: the client
//! is the right-most hop that is not itself a trusted proxy.

use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// One trusted proxy: an address (`127.0.0.1`, `::1`) or a network (`10.0.0.0/8`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProxyNet(IpNet);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("« {0} » is not an IP address or network (e.g. 127.0.0.1, 10.0.0.0/8, ::1/128)")]
pub struct ProxyNetError(String);

impl FromStr for ProxyNet {
    type Err = ProxyNetError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if let Ok(net) = s.parse::<IpNet>() {
            return Ok(ProxyNet(net.trunc()));
        }
        s.parse::<IpAddr>()
            .map(|ip| ProxyNet(IpNet::from(ip)))
            .map_err(|_| ProxyNetError(s.to_owned()))
    }
}

impl TryFrom<String> for ProxyNet {
    type Error = ProxyNetError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<ProxyNet> for String {
    fn from(net: ProxyNet) -> String {
        net.to_string()
    }
}

impl fmt::Display for ProxyNet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl ProxyNet {
    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.contains(&canonical(ip))
    }
}

/// The reverse proxies whose `X-Forwarded-For` is believed. Empty (the default): the header is
/// ignored and the client is the peer of the connection. Read from a list of strings, or from
/// one string separated by commas (handy in an environment variable).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct TrustedProxies(Vec<ProxyNet>);

impl<'de> Deserialize<'de> for TrustedProxies {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            List(Vec<String>),
            Text(String),
        }
        let list = match Written::deserialize(deserializer)? {
            Written::List(list) => list,
            Written::Text(text) => text
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
        };
        TrustedProxies::parse(&list).map_err(serde::de::Error::custom)
    }
}

impl TrustedProxies {
    pub fn new(nets: Vec<ProxyNet>) -> Self {
        TrustedProxies(nets)
    }

    /// Parses a list of addresses or networks, naming the first one that does not parse.
    pub fn parse<S: AsRef<str>>(list: &[S]) -> Result<Self, ProxyNetError> {
        list.iter()
            .map(|s| s.as_ref().parse())
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(ip))
    }

    /// The client's address. `forwarded_for` holds the values of every `X-Forwarded-For`
    /// header of the request, in order; they are believed only as far as trusted proxies
    /// vouch for them.
    pub fn client_addr<'a>(
        &self,
        peer: IpAddr,
        forwarded_for: impl IntoIterator<Item = &'a str>,
    ) -> IpAddr {
        let peer = canonical(peer);
        if !self.contains(peer) {
            return peer;
        }
        let hops: Vec<&str> = forwarded_for
            .into_iter()
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .collect();
        // Walk left from the hop our proxy wrote; each trusted proxy vouches for the hop on
        // its left. Stop at the first hop no trusted proxy could have been.
        let mut client = peer;
        for hop in hops.iter().rev() {
            let Some(ip) = parse_hop(hop) else {
                // Garbage where a trusted proxy should have written an address: believe
                // nothing further left, count the request against the last known hop.
                return client;
            };
            client = ip;
            if !self.contains(ip) {
                return ip;
            }
        }
        client
    }
}

/// The key a client is counted under: its address, or its /64 network for IPv6, since one
/// IPv6 subscriber usually holds a whole /64 and could otherwise pick a new key per request.
pub fn limit_key(ip: IpAddr) -> String {
    match canonical(ip) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let net = ipnet::Ipv6Net::new(v6, 64).map(|n| n.trunc());
            net.map_or_else(|_| v6.to_string(), |n| n.to_string())
        }
    }
}

/// IPv4 clients reached over an IPv6 socket show up as `::ffff:a.b.c.d`: count them as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// One hop of `X-Forwarded-For`: an address, possibly with a port (`1.2.3.4:5678`,
/// `[2001:db8::1]:80`), as some proxies write it.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Ok(sock) = hop.parse::<std::net::SocketAddr>() {
        return Some(canonical(sock.ip()));
    }
    hop.strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .and_then(|h| h.parse().ok())
        .map(canonical)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("address")
    }

    fn proxies(list: &[&str]) -> TrustedProxies {
        TrustedProxies::parse(list).expect("proxies")
    }

    #[test]
    fn addresses_and_networks_parse_and_garbage_is_named() {
        let p = proxies(&[
            "127.0.0.1",
            "10.0.0.0/8",
            "::1",
            "2001:db8::/32",
            " 192.168.1.7/24 ",
        ]);
        assert!(p.contains(ip("127.0.0.1")));
        assert!(!p.contains(ip("127.0.0.2")));
        assert!(p.contains(ip("10.200.3.4")));
        assert!(p.contains(ip("::1")));
        assert!(p.contains(ip("2001:db8:1::5")));
        assert!(p.contains(ip("192.168.1.200")));
        assert!(p.contains(ip("::ffff:10.1.2.3")), "IPv4-mapped addresses");
        let err = TrustedProxies::parse(&["10.0.0.0/8", "proxy.local"]).expect_err("garbage");
        assert!(err.to_string().contains("proxy.local"), "{err}");
        assert!(TrustedProxies::parse(&["10.0.0.0/33"]).is_err());
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client_addr(ip("203.0.113.7"), ["198.51.100.1"]),
            ip("203.0.113.7")
        );
        // A trusted list that does not hold the peer changes nothing either.
        let other = proxies(&["10.0.0.1"]);
        assert_eq!(
            other.client_addr(ip("203.0.113.7"), ["198.51.100.1"]),
            ip("203.0.113.7")
        );
    }

    #[test]
    fn the_client_is_the_right_most_hop_no_trusted_proxy_could_be() {
        let p = proxies(&["127.0.0.1/32", "10.0.0.0/8"]);
        // The client wrote a fake first hop; the proxy appended the real address.
        assert_eq!(
            p.client_addr(ip("127.0.0.1"), ["6.6.6.6, 203.0.113.7"]),
            ip("203.0.113.7")
        );
        // Two trusted proxies in a row, and several headers.
        assert_eq!(
            p.client_addr(ip("127.0.0.1"), ["1.1.1.1", "203.0.113.9, 10.1.1.1"]),
            ip("203.0.113.9")
        );
        // Ports and brackets as some proxies write them.
        assert_eq!(
            p.client_addr(ip("127.0.0.1"), ["[2001:db8::7]:4711"]),
            ip("2001:db8::7")
        );
        assert_eq!(
            p.client_addr(ip("127.0.0.1"), ["203.0.113.7:5000"]),
            ip("203.0.113.7")
        );
        // No header: the proxy itself is the client (a request made on the server).
        assert_eq!(p.client_addr(ip("127.0.0.1"), []), ip("127.0.0.1"));
        // Every hop trusted: the left-most one.
        assert_eq!(
            p.client_addr(ip("127.0.0.1"), ["10.0.0.5, 10.0.0.6"]),
            ip("10.0.0.5")
        );
        // Garbage written where a trusted hop should be: counted against that trusted hop.
        assert_eq!(
            p.client_addr(ip("127.0.0.1"), ["6.6.6.6, pas-une-adresse, 10.0.0.6"]),
            ip("10.0.0.6")
        );
    }

    #[test]
    fn ipv6_clients_are_counted_per_64_network() {
        assert_eq!(limit_key(ip("203.0.113.7")), "203.0.113.7");
        assert_eq!(limit_key(ip("::ffff:203.0.113.7")), "203.0.113.7");
        assert_eq!(
            limit_key(ip("2001:db8:1:2:aaaa::1")),
            limit_key(ip("2001:db8:1:2:bbbb::2"))
        );
        assert_ne!(
            limit_key(ip("2001:db8:1:2::1")),
            limit_key(ip("2001:db8:1:3::1"))
        );
    }

    #[test]
    fn the_list_reads_and_writes_as_strings() {
        let p: TrustedProxies =
            serde_json::from_str(r#"["127.0.0.1", "10.0.0.0/8"]"#).expect("json");
        assert_eq!(
            serde_json::to_string(&p).expect("json"),
            r#"["127.0.0.1/32","10.0.0.0/8"]"#
        );
        let err = serde_json::from_str::<TrustedProxies>(r#"["nope"]"#).expect_err("garbage");
        assert!(err.to_string().contains("nope"), "{err}");
        let text: TrustedProxies =
            serde_json::from_str(r#""127.0.0.1, 10.0.0.0/8""#).expect("one string");
        assert_eq!(text, p);
    }
}
