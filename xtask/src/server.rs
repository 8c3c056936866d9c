//! The static server for the built page: tower-http's `ServeDir` on axum, on a single-threaded
//! tokio runtime. `ServeDir` guesses each file's type (`application/wasm` for the module, which
//! `WebAssembly.instantiateStreaming` insists on), sends `ETag` and `Last-Modified` and answers
//! a revalidation with 304, serves byte ranges, picks `x.br` or `x.gz` beside `x` when the
//! browser accepts that encoding (`cargo xtask dist` writes them), and serves nothing outside
//! its root. Every response says `Cache-Control: no-cache`: the browser keeps each file but asks
//! whether it changed, so a rebuilt page is never stale and an unchanged module (and the code V8
//! compiled from it) comes from cache. Failed requests are logged on stderr.

use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::thread;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// A listening socket on 127.0.0.1 and the directory it serves.
pub struct Server {
    listener: TcpListener,
    addr: SocketAddr,
    root: PathBuf,
}

impl Server {
    /// Listens on 127.0.0.1:`port` (0 picks a free port) to serve the files under `root`.
    pub fn bind(root: &Path, port: u16) -> io::Result<Server> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))?;
        listener.set_nonblocking(true)?; // as tokio requires of a listener it adopts
        let addr = listener.local_addr()?;
        Ok(Server {
            listener,
            addr,
            root: root.to_path_buf(),
        })
    }

    /// The address it listens on, with the actual port.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves connections for as long as the process lives; returns only if the runtime cannot
    /// start or the listener fails, with the reason.
    pub fn run(self) -> io::Result<()> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()?;
        runtime.block_on(async {
            let listener = tokio::net::TcpListener::from_std(self.listener)?;
            axum::serve(listener, app(&self.root)).await
        })
    }

    /// Serves on a background thread that ends with the process, and returns the address.
    pub fn spawn(self) -> SocketAddr {
        let addr = self.addr;
        thread::spawn(move || {
            if let Err(error) = self.run() {
                eprintln!("server on {addr}: {error}");
            }
        });
        addr
    }
}

/// The service: the files under `root`, precompressed variants preferred, with `no-cache`.
fn app(root: &Path) -> Router {
    let files = ServeDir::new(root)
        .precompressed_br()
        .precompressed_gzip()
        .redirect_to_trailing_slash(false);
    Router::new()
        .fallback_service(files)
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .layer(middleware::from_fn(log_failure))
}

/// Logs a request whose response is an error (4xx or 5xx) on stderr.
async fn log_failure(request: Request, next: Next) -> Response {
    let (method, uri) = (request.method().clone(), request.uri().clone());
    let response = next.run(request).await;
    let status = response.status();
    if status.is_client_error() || status.is_server_error() {
        eprintln!("server: {} {method} {uri}", status.as_u16());
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::io::{Read, Write};
    use std::net::TcpStream;

    /// Serves a temporary directory holding `index.html`, `pkg/a.wasm` (with a `.br` and a
    /// `.gz` beside it), `pkg/a b.js` and `sub/index.html`, with a `secret.txt` outside it.
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
        fs::write(root.join("pkg/a.wasm.br"), b"brotli").unwrap();
        fs::write(root.join("pkg/a.wasm.gz"), b"gzip").unwrap();
        fs::write(root.join("pkg/a b.js"), "export {};").unwrap();
        fs::write(dir.join("secret.txt"), "secret").unwrap();
        (Server::bind(&root, 0).unwrap().spawn(), dir)
    }

    /// What came back: the status, the headers (lower-cased names) and the body.
    struct Reply {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    }

    impl Reply {
        fn header(&self, name: &str) -> &str {
            self.headers
                .iter()
                .find(|(n, _)| n == name)
                .map_or("", |(_, value)| value)
        }
    }

    /// Sends `method path` with `headers` (each ending in CRLF) on a fresh connection that asks
    /// to be closed, and reads the reply to its end.
    fn fetch(addr: SocketAddr, method: &str, path: &str, headers: &str) -> Reply {
        let mut stream = TcpStream::connect(addr).unwrap();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{headers}\r\n"
        );
        stream.write_all(request.as_bytes()).unwrap();
        let mut reply = Vec::new();
        stream.read_to_end(&mut reply).unwrap();
        let split = reply
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a complete head");
        let head = String::from_utf8(reply[..split].to_vec()).unwrap();
        let mut lines = head.split("\r\n");
        let status = lines.next().unwrap().split(' ').nth(1).unwrap();
        let headers = lines
            .map(|line| {
                let (name, value) = line.split_once(": ").unwrap();
                (name.to_ascii_lowercase(), value.to_string())
            })
            .collect();
        Reply {
            status: status.parse().unwrap(),
            headers,
            body: reply[split + 4..].to_vec(),
        }
    }

    fn get(addr: SocketAddr, path: &str) -> Reply {
        fetch(addr, "GET", path, "")
    }

    #[test]
    fn serves_files_with_their_content_type_and_validators() {
        let (addr, dir) = serve_fixture("types");
        let wasm = get(addr, "/pkg/a.wasm");
        assert_eq!(
            (wasm.status, wasm.body.as_slice()),
            (200, b"\0asm\x01\0\0\0".as_slice())
        );
        assert_eq!(wasm.header("content-type"), "application/wasm");
        assert_eq!(wasm.header("content-length"), "8");
        assert_eq!(wasm.header("cache-control"), "no-cache");
        assert!(!wasm.header("etag").is_empty() && !wasm.header("last-modified").is_empty());
        let js = get(addr, "/pkg/a%20b.js?v=1");
        assert_eq!(
            (js.status, js.body.as_slice()),
            (200, b"export {};".as_slice())
        );
        assert_eq!(js.header("content-type"), "text/javascript");
        let home = get(addr, "/");
        assert_eq!(
            (home.status, home.body.as_slice()),
            (200, b"<!doctype html><title>home</title>".as_slice())
        );
        assert_eq!(home.header("content-type"), "text/html");
        assert_eq!(get(addr, "/sub").body, b"sub");
        assert_eq!(get(addr, "/sub/").body, b"sub");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_revalidation_of_an_unchanged_file_is_a_304() {
        let (addr, dir) = serve_fixture("revalidate");
        let first = get(addr, "/pkg/a.wasm");
        let etag = first.header("etag");
        let again = fetch(
            addr,
            "GET",
            "/pkg/a.wasm",
            &format!("If-None-Match: {etag}\r\n"),
        );
        assert_eq!((again.status, again.body.len()), (304, 0));
        let other = fetch(addr, "GET", "/pkg/a.wasm", "If-None-Match: \"other\"\r\n");
        assert_eq!(other.status, 200);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn sends_the_precompressed_file_the_browser_accepts() {
        let (addr, dir) = serve_fixture("encodings");
        let both = fetch(addr, "GET", "/pkg/a.wasm", "Accept-Encoding: gzip, br\r\n");
        assert_eq!(
            (both.header("content-encoding"), both.body.as_slice()),
            ("br", b"brotli".as_slice())
        );
        assert_eq!(both.header("content-type"), "application/wasm");
        let gzip = fetch(addr, "GET", "/pkg/a.wasm", "Accept-Encoding: gzip\r\n");
        assert_eq!(
            (gzip.header("content-encoding"), gzip.body.as_slice()),
            ("gzip", b"gzip".as_slice())
        );
        let js = fetch(
            addr,
            "GET",
            "/pkg/a%20b.js",
            "Accept-Encoding: gzip, br\r\n",
        );
        assert_eq!(
            (js.header("content-encoding"), js.body.as_slice()),
            ("", b"export {};".as_slice())
        );
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn head_sends_the_headers_only() {
        let (addr, dir) = serve_fixture("head");
        let head = fetch(addr, "HEAD", "/index.html", "");
        assert_eq!(head.status, 200);
        assert_eq!(head.header("content-length"), "34");
        assert!(head.body.is_empty());
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn refuses_what_it_should_not_serve() {
        let (addr, dir) = serve_fixture("refuse");
        assert_eq!(get(addr, "/missing.js").status, 404);
        assert_eq!(get(addr, "/pkg/").status, 404, "no directory listing");
        assert_eq!(get(addr, "/../secret.txt").status, 404);
        assert_eq!(get(addr, "/pkg/../../secret.txt").status, 404);
        assert_eq!(get(addr, "/%2e%2e/secret.txt").status, 404);
        assert_eq!(get(addr, "/..%5csecret.txt").status, 404);
        assert_eq!(
            fetch(addr, "POST", "/", "Content-Length: 0\r\n").status,
            405
        );
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_busy_port_is_an_addr_in_use_error() {
        let (addr, dir) = serve_fixture("busy");
        let error = Server::bind(&dir, addr.port())
            .err()
            .expect("the port is taken");
        assert_eq!(error.kind(), io::ErrorKind::AddrInUse);
        fs::remove_dir_all(dir).unwrap();
    }
}
