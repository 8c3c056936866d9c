//! A small static file server for the built page: std::net only, one thread per connection,
//! HTTP/1.1 GET and HEAD, one response per connection (`Connection: close`). It sets the MIME
//! type `application/wasm` that `WebAssembly.instantiateStreaming` insists on, sends
//! `Cache-Control: no-cache` so a rebuilt page is never stale, and serves nothing outside its
//! root. Responses other than 200 are logged on stderr.

use std::ffi::OsStr;
use std::fs;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

/// The longest request head accepted, in bytes.
const MAX_HEAD: usize = 16 * 1024;

/// A listening socket on 127.0.0.1 and the directory it serves.
pub struct Server {
    listener: TcpListener,
    addr: SocketAddr,
    root: Arc<PathBuf>,
}

impl Server {
    /// Listens on 127.0.0.1:`port` (0 picks a free port) to serve the files under `root`.
    pub fn bind(root: &Path, port: u16) -> io::Result<Server> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))?;
        let addr = listener.local_addr()?;
        Ok(Server {
            listener,
            addr,
            root: Arc::new(root.to_path_buf()),
        })
    }

    /// The address it listens on, with the actual port.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves connections for as long as the process lives; never returns.
    pub fn run(self) {
        loop {
            match self.listener.accept() {
                Ok((stream, _)) => {
                    let root = Arc::clone(&self.root);
                    thread::spawn(move || match handle(stream, &root) {
                        // A browser may open a connection it never uses, or drop one midway.
                        Err(error) if !is_hang_up(&error) => eprintln!("server: {error}"),
                        _ => {}
                    });
                }
                Err(error) => eprintln!("server: accept failed: {error}"),
            }
        }
    }

    /// Serves on a background thread that ends with the process, and returns the address.
    pub fn spawn(self) -> SocketAddr {
        let addr = self.addr;
        thread::spawn(move || self.run());
        addr
    }
}

/// One response, ready to send.
struct Response {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
}

impl Response {
    /// A short plain-text response for an error status.
    fn error(status: u16) -> Response {
        let body = format!("{status} {}\n", reason(status)).into_bytes();
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            body,
        }
    }
}

/// Reads one request from `stream`, answers it and closes the connection.
fn handle(mut stream: TcpStream, root: &Path) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let head = read_head(&mut stream)?;
    if head.is_empty() {
        return Ok(()); // connected, asked nothing
    }
    let mut words = head.lines().next().unwrap_or_default().split(' ');
    let (method, target) = (
        words.next().unwrap_or_default(),
        words.next().unwrap_or_default(),
    );
    let response = match method {
        "GET" | "HEAD" => respond(root, target),
        _ if words
            .next()
            .is_some_and(|version| version.starts_with("HTTP/")) =>
        {
            Response::error(405)
        }
        _ => Response::error(400),
    };
    if response.status != 200 {
        eprintln!("server: {} {method} {target}", response.status);
    }
    let header = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\n{}Connection: close\r\n\r\n",
        response.status,
        reason(response.status),
        response.content_type,
        response.body.len(),
        if response.status == 405 {
            "Allow: GET, HEAD\r\n"
        } else {
            ""
        },
    );
    stream.write_all(header.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&response.body)?;
    }
    stream.flush()
}

/// Reads up to the blank line that ends the request head; any body is ignored.
fn read_head(stream: &mut TcpStream) -> io::Result<String> {
    let mut head = Vec::new();
    let mut buffer = [0; 4096];
    while !head.windows(4).any(|window| window == b"\r\n\r\n") {
        let read = stream.read(&mut buffer)?;
        if read == 0 || head.len() + read > MAX_HEAD {
            break; // a truncated or oversized head is answered as it stands: 400 if unusable
        }
        head.extend_from_slice(&buffer[..read]);
    }
    Ok(String::from_utf8_lossy(&head).into_owned())
}

/// Whether `error` only means that the client went away or never spoke.
fn is_hang_up(error: &io::Error) -> bool {
    use io::ErrorKind::*;
    matches!(
        error.kind(),
        BrokenPipe | ConnectionReset | ConnectionAborted | WouldBlock | TimedOut
    )
}

/// The response to a GET of `target`.
fn respond(root: &Path, target: &str) -> Response {
    let path = match resolve(root, target) {
        Ok(path) => path,
        Err(status) => return Response::error(status),
    };
    match fs::read(&path) {
        Ok(body) => Response {
            status: 200,
            content_type: content_type(&path),
            body,
        },
        Err(error) if error.kind() == io::ErrorKind::NotFound => Response::error(404),
        Err(_) => Response::error(500),
    }
}

/// The file that `target` names under `root`: the query and fragment are dropped, `%XX` is
/// decoded, and a directory means its `index.html`. A `..` segment is refused with 403, a
/// target that is not an absolute path or not UTF-8 with 400.
fn resolve(root: &Path, target: &str) -> Result<PathBuf, u16> {
    let path = target.split(['?', '#']).next().unwrap_or_default();
    if !path.starts_with('/') {
        return Err(400);
    }
    let decoded = String::from_utf8(percent_decode(path).ok_or(400u16)?).map_err(|_| 400u16)?;
    let mut file = root.to_path_buf();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return Err(403),
            _ if segment.contains(['\\', '\0']) => return Err(400),
            _ => file.push(segment),
        }
    }
    if decoded.ends_with('/') || file.is_dir() {
        file.push("index.html");
    }
    Ok(file)
}

/// `%XX` escapes turned back into bytes; `None` for a malformed escape.
fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&byte, tail)) = rest.split_first() {
        if byte == b'%' {
            let hex = std::str::from_utf8(tail.get(..2)?).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            rest = &tail[2..];
        } else {
            bytes.push(byte);
            rest = tail;
        }
    }
    Some(bytes)
}

/// The `Content-Type` for a file, by its extension.
fn content_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(OsStr::to_str)
        .unwrap_or_default()
        .to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript",
        "css" => "text/css",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The reason phrase of each status this server sends.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Internal Server Error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Serves a temporary directory holding `index.html`, `pkg/a.wasm`, `pkg/a.js` and
    /// `sub/index.html`, with a `secret.txt` beside it, outside the root.
    fn serve_fixture(name: &str) -> (SocketAddr, PathBuf) {
        let dir = std::env::temp_dir().join(format!("xtask-server-{name}-{}", std::process::id()));
        let root = dir.join("root");
        fs::create_dir_all(root.join("pkg")).unwrap();
        fs::create_dir_all(root.join("sub")).unwrap();
        fs::write(
            root.join("index.html"),
            "<!doctype html><title>home</title>",
        )
        .unwrap();
        fs::write(root.join("sub/index.html"), "sub").unwrap();
        fs::write(root.join("pkg/a.wasm"), b"\0asm\x01\0\0\0").unwrap();
        fs::write(root.join("pkg/a b.js"), "export {};").unwrap();
        fs::write(dir.join("secret.txt"), "secret").unwrap();
        (Server::bind(&root, 0).unwrap().spawn(), dir)
    }

    /// Sends `request` raw and returns the status, the headers (lower-cased names) and the body.
    fn fetch(addr: SocketAddr, request: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut reply = Vec::new();
        stream.read_to_end(&mut reply).unwrap();
        let split = reply
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a complete head");
        let head = String::from_utf8(reply[..split].to_vec()).unwrap();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers = lines
            .map(|line| {
                let (name, value) = line.split_once(": ").unwrap();
                (name.to_ascii_lowercase(), value.to_string())
            })
            .collect();
        (status, headers, reply[split + 4..].to_vec())
    }

    fn get(addr: SocketAddr, path: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
        fetch(
            addr,
            &format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n"),
        )
    }

    fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, value)| value)
    }

    #[test]
    fn serves_files_with_their_content_type() {
        let (addr, dir) = serve_fixture("types");
        let (status, headers, body) = get(addr, "/pkg/a.wasm");
        assert_eq!(
            (status, body.as_slice()),
            (200, b"\0asm\x01\0\0\0".as_slice())
        );
        assert_eq!(header(&headers, "content-type"), "application/wasm");
        assert_eq!(header(&headers, "content-length"), "8");
        assert_eq!(header(&headers, "cache-control"), "no-cache");
        assert_eq!(header(&headers, "connection"), "close");
        let (status, headers, body) = get(addr, "/pkg/a%20b.js?v=1#top");
        assert_eq!((status, body.as_slice()), (200, b"export {};".as_slice()));
        assert_eq!(header(&headers, "content-type"), "text/javascript");
        let (status, headers, body) = get(addr, "/");
        assert_eq!(
            (status, body.as_slice()),
            (200, b"<!doctype html><title>home</title>".as_slice())
        );
        assert_eq!(header(&headers, "content-type"), "text/html; charset=utf-8");
        assert_eq!(get(addr, "/sub").2, b"sub");
        assert_eq!(get(addr, "/sub/").2, b"sub");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn head_sends_the_headers_only() {
        let (addr, dir) = serve_fixture("head");
        let (status, headers, body) =
            fetch(addr, "HEAD /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assert_eq!(status, 200);
        assert_eq!(header(&headers, "content-length"), "34");
        assert!(body.is_empty());
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn refuses_what_it_should_not_serve() {
        let (addr, dir) = serve_fixture("refuse");
        assert_eq!(get(addr, "/missing.js").0, 404);
        assert_eq!(get(addr, "/pkg/").0, 404, "no directory listing");
        assert_eq!(get(addr, "/../secret.txt").0, 403);
        assert_eq!(get(addr, "/pkg/../../secret.txt").0, 403);
        assert_eq!(get(addr, "/%2e%2e/secret.txt").0, 403);
        assert_eq!(get(addr, "/..%5csecret.txt").0, 400);
        assert_eq!(get(addr, "/bad%zz").0, 400);
        assert_eq!(get(addr, "http://elsewhere/").0, 400);
        let (status, headers, _) = fetch(addr, "POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        assert_eq!((status, header(&headers, "allow")), (405, "GET, HEAD"));
        assert_eq!(fetch(addr, "nonsense\r\n\r\n").0, 400);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn knows_the_page_types() {
        let types = [
            "a.css",
            "a.json",
            "a.png",
            "a.svg",
            "A.MJS",
            "a.bin",
            "noextension",
        ]
        .map(|name| content_type(Path::new(name)));
        assert_eq!(
            types,
            [
                "text/css",
                "application/json",
                "image/png",
                "image/svg+xml",
                "text/javascript",
                "application/octet-stream",
                "application/octet-stream"
            ]
        );
    }
}
