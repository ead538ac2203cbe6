//! An SMTP server for the tests, on 127.0.0.1: it accepts every message and keeps it, so that a
//! test sends through lieu's real SMTP transport and reads back what arrived. It can be
//! stopped (connections are then refused, as with a mail server that is down) and started
//! again on the same port.
//!
//! Written here rather than taken from a crate: the embeddable SMTP servers of crates.io can
//! neither be stopped nor built without a TLS stack, and the protocol a sink needs is a dozen
//! lines: greeting, EHLO, MAIL, RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

/// A message as it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The envelope's sender and recipients, as given to MAIL FROM and RCPT TO.
    pub from: String,
    pub to: Vec<String>,
    /// The message, headers and body, dot-unstuffed, lines ended by CRLF.
    pub data: String,
}

impl Received {
    /// The value of header `name` (first occurrence, unfolded).
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next()?;
        let mut value: Option<String> = None;
        for line in head.split("\r\n") {
            if let Some(v) = value.as_mut() {
                if line.starts_with([' ', '\t']) {
                    v.push_str(line.trim_start());
                    continue;
                }
                break;
            }
            if let Some((n, v)) = line.split_once(':')
                && n.eq_ignore_ascii_case(name)
            {
                value = Some(v.trim().to_owned());
            }
        }
        value
    }

    /// The plain text part, decoded (lettre writes it as quoted-printable or base64 when it
    /// is not plain ASCII).
    pub fn text(&self) -> String {
        let Some(start) = self.data.find("Content-Type: text/plain") else {
            return String::new();
        };
        let part = &self.data[start..];
        let (head, rest) = part.split_once("\r\n\r\n").unwrap_or((part, ""));
        let body = rest.split("\r\n--").next().unwrap_or("");
        let encoding = head.to_ascii_lowercase();
        let bytes = if encoding.contains("content-transfer-encoding: base64") {
            let joined: String = body.split("\r\n").collect();
            base64::Engine::decode(&base64::engine::general_purpose::STANDARD, joined.trim())
                .unwrap_or_default()
        } else if encoding.contains("content-transfer-encoding: quoted-printable") {
            quoted_printable::decode(body, quoted_printable::ParseMode::Robust).unwrap_or_default()
        } else {
            body.as_bytes().to_vec()
        };
        String::from_utf8_lossy(&bytes).replace("\r\n", "\n")
    }
}

pub struct SmtpSink {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl SmtpSink {
    /// Starts a sink on a free port.
    pub fn start() -> SmtpSink {
        Self::start_on(0, Arc::default())
    }

    fn start_on(port: u16, received: Arc<Mutex<Vec<Received>>>) -> SmtpSink {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind the SMTP sink");
        let port = listener.local_addr().expect("sink address").port();
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (stop, received) = (Arc::clone(&stop), Arc::clone(&received));
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            // A broken conversation loses only its own message.
                            let _ = converse(stream, &received);
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(5)),
                    }
                }
            })
        };
        SmtpSink {
            port,
            received,
            stop,
            thread: Some(thread),
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// What arrived so far.
    pub fn received(&self) -> Vec<Received> {
        self.received
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Stops listening: from now on, connections to the port are refused.
    pub fn stop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    /// Listens again on the same port, keeping what arrived before.
    pub fn restart(&mut self) {
        self.stop();
        *self = Self::start_on(self.port, Arc::clone(&self.received));
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}

fn converse(stream: TcpStream, received: &Mutex<Vec<Received>>) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut out = stream.try_clone()?;
    let mut lines = BufReader::new(stream);
    out.write_all(b"220 sink.test ESMTP lieu test sink\r\n")?;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_owned();
        let verb = command
            .split([' ', ':'])
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let answer: &[u8] = match verb.as_str() {
            "EHLO" => b"250-sink.test\r\n250 8BITMIME\r\n",
            "HELO" => b"250 sink.test\r\n",
            "MAIL" => {
                from = address(&command);
                to.clear();
                b"250 OK\r\n"
            }
            "RCPT" => {
                to.push(address(&command));
                b"250 OK\r\n"
            }
            "DATA" => {
                out.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line)? == 0 {
                        return Ok(());
                    }
                    let content = line.trim_end_matches(['\r', '\n']);
                    if content == "." {
                        break;
                    }
                    data.push_str(content.strip_prefix('.').unwrap_or(content));
                    data.push_str("\r\n");
                }
                received
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(Received {
                        from: std::mem::take(&mut from),
                        to: std::mem::take(&mut to),
                        data,
                    });
                b"250 OK: queued\r\n"
            }
            "RSET" => {
                from.clear();
                to.clear();
                b"250 OK\r\n"
            }
            "NOOP" => b"250 OK\r\n",
            "QUIT" => {
                out.write_all(b"221 Bye\r\n")?;
                return Ok(());
            }
            _ => b"502 Command not implemented\r\n",
        };
        out.write_all(answer)?;
    }
}

/// The address between `<` and `>` of a MAIL FROM or RCPT TO command.
fn address(command: &str) -> String {
    command
        .split_once('<')
        .and_then(|(_, rest)| rest.split_once('>'))
        .map(|(a, _)| a.to_owned())
        .unwrap_or_default()
}
