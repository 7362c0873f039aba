//! Local preview: build, serve the output on loopback, rebuild when content or theme files change
//! (`rebuild` decides how: after the first build, `pipeline::check_and_rebuild` writes only what
//! changed). Content with errors keeps the last good output on screen.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use crate::pipeline::Error;

/// Serves until interrupted; returns only when it cannot start. `rebuild` builds the site for
/// a base URL, reports its problems and tells whether it succeeded.
pub fn serve(
    root: &Path,
    out: &Path,
    bind: &str,
    port: u16,
    rebuild: &dyn Fn(&str) -> bool,
) -> Result<(), Error> {
    let server = tiny_http::Server::http((bind, port)).map_err(|e| {
        Error::Usage(format!(
            "{bind}:{port} で待ち受けできません: {e}（--port で別の番号を指定してください）"
        ))
    })?;
    let server = Arc::new(server);
    let port = server.server_addr().to_ip().map_or(port, |a| a.port());
    let host = if bind.contains(':') {
        format!("[{bind}]")
    } else {
        bind.to_owned()
    };
    let base = format!("http://{host}:{port}");
    // Watching starts before the first build: a file saved while it runs, or right after the
    // address is printed, is rebuilt too.
    let (tx, rx) = mpsc::channel();
    let mut watcher = match notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        if ev.is_ok_and(|e| !e.kind.is_access()) {
            let _ = tx.send(());
        }
    }) {
        Ok(w) => w,
        Err(e) => return Err(Error::Io(format!("ファイルの変更を監視できません: {e}"))),
    };
    for dir in ["content", "themes"] {
        let path = root.join(dir);
        if path.is_dir()
            && let Err(e) = watcher.watch(&path, RecursiveMode::Recursive)
        {
            eprintln!("warning: {} を監視できません: {e}", path.display());
        }
    }
    if !rebuild(&base) && !out.join("index.html").exists() {
        return Err(Error::Content);
    }

    let out_dir: PathBuf = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
    for _ in 0..4 {
        let server = Arc::clone(&server);
        let dir = out_dir.clone();
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                respond(&dir, request);
            }
        });
    }
    println!("{base}/ で公開中です（Ctrl+C で終了）");

    while rx.recv().is_ok() {
        // Editors write several events per save, within milliseconds: wait for the burst to end
        // (50 ms without one), then rebuild once.
        while rx.recv_timeout(Duration::from_millis(50)).is_ok() {}
        println!("変更を検出しました。再ビルドします…");
        rebuild(&base);
    }
    Ok(())
}

fn respond(dir: &Path, request: tiny_http::Request) {
    let (status, path) = match resolve(dir, request.url()) {
        Some(p) => (200, p),
        None => (404, dir.join("404.html")),
    };
    let response = match std::fs::read(&path) {
        Ok(bytes) => tiny_http::Response::from_data(bytes).with_status_code(status),
        Err(_) => tiny_http::Response::from_data(b"Not Found".to_vec()).with_status_code(404),
    };
    let content_type = content_type(&path);
    let response = response.with_header(
        tiny_http::Header::from_bytes("Content-Type", content_type)
            .expect("static header is valid"),
    );
    let _ = request.respond(response);
}

/// Maps a request URL to a file under `dir`, refusing anything that escapes it.
fn resolve(dir: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let decoded: String =
        url::form_urlencoded::parse(format!("p={}", path.replace('+', "%2B")).as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())?;
    let mut file = dir.to_path_buf();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p if p.contains('\\') || p.contains('\0') => return None,
            p => file.push(p),
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_inside_dir_only() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("entries/a")).unwrap();
        std::fs::write(tmp.path().join("entries/a/index.html"), "x").unwrap();
        std::fs::write(tmp.path().join("index.html"), "x").unwrap();
        assert!(resolve(tmp.path(), "/").is_some());
        assert!(resolve(tmp.path(), "/entries/a/?q=1").is_some());
        assert!(resolve(tmp.path(), "/entries/%61/").is_some());
        assert!(resolve(tmp.path(), "/../etc/passwd").is_none());
        assert!(resolve(tmp.path(), "/%2e%2e/x").is_none());
        assert!(resolve(tmp.path(), "/missing").is_none());
    }
}
