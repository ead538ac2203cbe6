//! A server killed (`kill -9`) in the middle of a burst of submissions loses none that it
//! acknowledged: the real `lieu` binary, a real TCP client, the database on disk. Every
//! submission answered « 303, here is your private link » must be there after a restart.
//!
//! SQLite always; PostgreSQL too when `LIEU_TEST_DATABASE_URL` is set (a database of its own
//! is created for the test and dropped after).

mod common;
use common::psql;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Response {
    status: u16,
    head: String,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Vec<String> {
        self.head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .filter(|(n, _)| n.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_owned())
            .collect()
    }
}

/// One HTTP/1.1 request on a new connection.
fn request(
    port: u16,
    method: &str,
    path: &str,
    cookie: &str,
    body: &str,
) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nCookie: {cookie}\r\n"
    );
    if method == "POST" {
        req.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    req.push_str("\r\n");
    req.push_str(body);
    stream.write_all(req.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no header end"))?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    Ok(Response {
        status,
        head: head.to_owned(),
        body: body.to_owned(),
    })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn start(dir: &Path, database_url: &str, port: u16) -> Child {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../wiki-content");
    let mut child = Command::new(env!("CARGO_BIN_EXE_lieu"))
        .arg("serve")
        .current_dir(dir)
        .env("LIEU_DATABASE_URL", database_url)
        .env("LIEU_BIND", format!("127.0.0.1:{port}"))
        .env("LIEU_CONTENT_DIR", content)
        .env("LIEU_INDEX_DIR", dir.join("index"))
        .env("LIEU_MAIL_DIR", dir.join("mail"))
        .env("LIEU_SUBMISSIONS_PER_HOUR", "1000000")
        .env("LIEU_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start lieu");
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if request(port, "GET", "/referencer", "", "").is_ok_and(|r| r.status == 200) {
            return child;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("lieu did not start on port {port}");
}

fn field(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body.find(&marker).expect("field") + marker.len();
    body[start..].split('"').next().expect("value").to_owned()
}

fn encode(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            let value: String = v
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect();
            format!("{k}={value}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn burst_then_kill(database_url: &str) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let port = free_port();
    let mut server = start(dir.path(), database_url, port);

    // One form shown, its cookie and stamp kept: the stamp must be older than the minimum
    // time to fill a form, and stays valid for the whole burst.
    let form = request(port, "GET", "/referencer?type=association", "", "").expect("form");
    let cookie = form
        .header("set-cookie")
        .into_iter()
        .find(|c| c.starts_with("lieu_csrf="))
        .and_then(|c| c.split(';').next().map(str::to_owned))
        .expect("CSRF cookie");
    let csrf = cookie.trim_start_matches("lieu_csrf=").to_owned();
    let stamp = field(&form.body, "debut");
    std::thread::sleep(Duration::from_secs(6));

    let acknowledged: Arc<Mutex<Vec<String>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..4)
        .map(|client| {
            let (acknowledged, stop, cookie, csrf, stamp) = (
                Arc::clone(&acknowledged),
                Arc::clone(&stop),
                cookie.clone(),
                csrf.clone(),
                stamp.clone(),
            );
            std::thread::spawn(move || {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let title = format!("Association {client}-{n}");
                    let body = encode(&[
                        ("csrf", &csrf),
                        ("type", "association"),
                        ("debut", &stamp),
                        ("title", &title),
                        ("commune", "79901"),
                        ("summary", "Une association du territoire."),
                        ("sender_name", "Jeanne Dupré"),
                        ("sender_email", "jeanne@example.org"),
                        ("consent", "oui"),
                    ]);
                    match request(port, "POST", "/referencer", &cookie, &body) {
                        Ok(r) if r.status == 303 => {
                            let location = r.header("location").pop().expect("location");
                            acknowledged.lock().expect("lock").push(location);
                        }
                        Ok(r) => panic!("unexpected answer {}: {}", r.status, r.body),
                        // The server is gone: what was not answered was not promised.
                        Err(_) => {}
                    }
                }
            })
        })
        .collect();
    // Let the burst run, then kill the server without warning, in the middle of it.
    let deadline = Instant::now() + Duration::from_secs(20);
    while acknowledged.lock().expect("lock").len() < 60 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    server.kill().expect("kill -9");
    server.wait().expect("reap");
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().expect("client");
    }
    let acknowledged = acknowledged.lock().expect("lock").clone();
    assert!(
        acknowledged.len() >= 60,
        "only {} acknowledged",
        acknowledged.len()
    );

    // Restarted on the same database: every acknowledged submission is there.
    let mut server = start(dir.path(), database_url, port);
    let mut missing = Vec::new();
    for location in &acknowledged {
        let path = location.split('?').next().expect("path");
        let page = request(port, "GET", path, "", "").expect("private page");
        if page.status != 200 || !page.body.contains("en attente de relecture") {
            missing.push((path.to_owned(), page.status));
        }
    }
    server.kill().expect("stop");
    server.wait().expect("reap");
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged submissions lost: {missing:?}",
        missing.len(),
        acknowledged.len()
    );
}

#[test]
fn a_server_killed_during_a_burst_loses_no_acknowledged_submission_sqlite() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}", dir.path().join("lieu.sqlite3").display());
    burst_then_kill(&url);
}

/// Runs `sql` on the PostgreSQL server of `url` with `psql` (CREATE and DROP DATABASE cannot
/// run in the transaction every store call opens).

#[test]
#[cfg_attr(
    not(lieu_postgres_tests),
    ignore = "set LIEU_TEST_DATABASE_URL at build time to run the PostgreSQL tests"
)]
fn a_server_killed_during_a_burst_loses_no_acknowledged_submission_postgres() {
    let admin = std::env::var("LIEU_TEST_DATABASE_URL").expect("LIEU_TEST_DATABASE_URL");
    let name = format!("lieu_crash_{:016x}", rand::random::<u64>());
    psql(&admin, &format!("CREATE DATABASE \"{name}\""));
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    burst_then_kill(&format!("{base}/{name}"));
    psql(
        &admin,
        &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
    );
}
