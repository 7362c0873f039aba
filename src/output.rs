//! Writing the output. A build writes atomically: pages go into a staging directory beside the
//! output directory, which replaces the old output only once everything was written, so a failed
//! build leaves the previous output exactly as it was. A rebuild by `serve` after a small edit
//! writes into the output directory itself ([`InPlace`], then [`sweep`]), once the content has
//! passed every check.

use std::collections::HashSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

/// Writes files below a directory, making folders as needed.
struct Folder {
    dir: PathBuf,
    /// Folders (relative, `/`-separated) made so far: a page in a new folder costs one `mkdir`,
    /// not a failed open first.
    made: std::sync::Mutex<HashSet<String>>,
}

impl Folder {
    fn new(dir: PathBuf) -> Folder {
        Folder {
            dir,
            made: Default::default(),
        }
    }

    /// Writes `rel`; with `replace`, into a file beside it first, then renamed over it, so that
    /// a reader of the old file never sees a part of the new one.
    fn write(&self, rel: &str, bytes: &[u8], replace: bool) -> Result<(), String> {
        if rel
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..")
        {
            return Err(format!("出力パス `{rel}` が不正です"));
        }
        if let Some((folder, _)) = rel.rsplit_once('/')
            && !self.made.lock().is_ok_and(|set| set.contains(folder))
        {
            let dir = self.dir.join(folder);
            fs::create_dir_all(&dir).map_err(|e| format!("{} を作れません: {e}", dir.display()))?;
            if let Ok(mut set) = self.made.lock() {
                set.insert(folder.to_owned());
            }
        }
        let path = self.dir.join(rel);
        let failed = |e: std::io::Error| format!("{} に書き込めません: {e}", path.display());
        if !replace {
            return fs::write(&path, bytes).map_err(failed);
        }
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let temporary = path.with_file_name(format!(".{name}.tsunagu-new"));
        fs::write(&temporary, bytes).map_err(failed)?;
        fs::rename(&temporary, &path).map_err(|e| {
            let _ = fs::remove_file(&temporary);
            failed(e)
        })
    }
}

/// A staging directory that becomes the output directory on [`Staging::commit`] and is removed
/// when dropped uncommitted.
pub struct Staging {
    dir: tempfile::TempDir,
    out: PathBuf,
    folder: Folder,
}

impl Staging {
    /// Creates the staging directory next to `out` (same file system, so the swap is a rename).
    pub fn new(out: &Path) -> Result<Staging, String> {
        let out = resolve(out)?;
        let parent = out
            .parent()
            .ok_or_else(|| format!("出力先 {} の親フォルダがありません", out.display()))?;
        fs::create_dir_all(parent)
            .map_err(|e| format!("出力先のフォルダ {} を作れません: {e}", parent.display()))?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".to_owned());
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.staging-"))
            .tempdir_in(parent)
            .map_err(|e| format!("一時フォルダを作れません: {e}"))?;
        let folder = Folder::new(dir.path().to_path_buf());
        Ok(Staging { dir, out, folder })
    }

    /// Writes one file, `rel` being a `/`-separated path below the output root.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), String> {
        self.folder.write(rel, bytes, false)
    }

    /// Replaces the output directory with the staged one.
    pub fn commit(self) -> Result<(), String> {
        let staged = self.dir.keep();
        let old = self.out.with_file_name(format!(
            ".{}.old-{}",
            self.out
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            std::process::id()
        ));
        let had_old = self.out.exists();
        if had_old {
            fs::rename(&self.out, &old).map_err(|e| {
                let _ = fs::remove_dir_all(&staged);
                format!("以前の出力 {} を移動できません: {e}", self.out.display())
            })?;
        }
        if let Err(e) = fs::rename(&staged, &self.out) {
            if had_old {
                let _ = fs::rename(&old, &self.out);
            }
            let _ = fs::remove_dir_all(&staged);
            return Err(format!(
                "出力 {} を置き換えられません: {e}",
                self.out.display()
            ));
        }
        if had_old {
            remove_tree(&old, 2)
                .map_err(|e| format!("以前の出力 {} を削除できません: {e}", old.display()))?;
        }
        Ok(())
    }
}

/// Removes a folder and everything in it, the contents of its first `levels` levels in parallel:
/// the output of a large site is 100,000 folders of one page each, and unlinking them one after
/// another took 20 seconds at 100,000 listings, longer than the build.
fn remove_tree(dir: &Path, levels: usize) -> std::io::Result<()> {
    use rayon::prelude::*;
    if levels == 0 {
        return fs::remove_dir_all(dir);
    }
    let children = fs::read_dir(dir)?.collect::<Result<Vec<_>, _>>()?;
    children.par_iter().try_for_each(|c| {
        if c.file_type()?.is_dir() {
            remove_tree(&c.path(), levels - 1)
        } else {
            fs::remove_file(c.path())
        }
    })?;
    fs::remove_dir(dir)
}

/// Writes into an existing output directory, over the files of the build before.
pub struct InPlace {
    folder: Folder,
}

impl InPlace {
    pub fn new(out: &Path) -> Result<InPlace, String> {
        let out = resolve(out)?;
        fs::create_dir_all(&out)
            .map_err(|e| format!("出力先 {} を作れません: {e}", out.display()))?;
        Ok(InPlace {
            folder: Folder::new(out),
        })
    }

    /// Writes one file, `rel` being a `/`-separated path below the output root: the file it
    /// replaces is whole until the new one is (the preview server reads them meanwhile).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), String> {
        self.folder.write(rel, bytes, true)
    }
}

/// Removes every file below `out` whose `/`-separated relative path is not in `keep`, and the
/// folders that leaves empty: what an in-place rebuild no longer writes (a removed entry's page,
/// a list's last page, the search index of the build before). Returns how many files it removed.
pub fn sweep(out: &Path, keep: &HashSet<&str>) -> Result<usize, String> {
    let out = resolve(out)?;
    let mut removed = 0;
    // Children before their folder, so a folder is seen after everything in it went.
    for item in walkdir::WalkDir::new(&out)
        .min_depth(1)
        .contents_first(true)
    {
        let item = item.map_err(|e| format!("出力を読めません: {e}"))?;
        let rel = crate::diag::display_path(&out, item.path());
        if item.file_type().is_dir() {
            if fs::read_dir(item.path()).is_ok_and(|mut d| d.next().is_none()) {
                fs::remove_dir(item.path())
                    .map_err(|e| format!("{} を削除できません: {e}", item.path().display()))?;
            }
        } else if !keep.contains(rel.as_str()) {
            fs::remove_file(item.path())
                .map_err(|e| format!("{} を削除できません: {e}", item.path().display()))?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// The real location of `p`: absolute, `..` and `.` resolved, symlinks of the part that exists
/// followed. Both the guard and the staging directory use it, so `x/../content` cannot slip past.
pub fn resolve(p: &Path) -> Result<PathBuf, String> {
    let abs = std::path::absolute(p)
        .map_err(|e| format!("出力先 {} を解決できません: {e}", p.display()))?;
    let mut lexical = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    // Follow symlinks in the longest existing ancestor; keep the rest as written.
    let mut existing = lexical.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(name) => rest.push(name.to_os_string()),
            None => break,
        }
        existing.pop();
    }
    let mut real = existing.canonicalize().unwrap_or(existing);
    real.extend(rest.iter().rev());
    Ok(real)
}

/// Refuses output directories whose replacement would destroy the sources: the site root itself,
/// one of its ancestors, or anything inside `content/` or `themes/`.
pub fn check_out_dir(root: &Path, out: &Path) -> Result<(), String> {
    let root = resolve(root)?;
    let out = resolve(out)?;
    let protected = [root.join("content"), root.join("themes")];
    if root.starts_with(&out) || protected.iter().any(|p| out.starts_with(p)) {
        return Err(format!(
            "出力先 {} はサイトの元データを含むため使えません。別のフォルダ（例: public）を指定してください",
            out.display()
        ));
    }
    if out.exists() && !out.is_dir() {
        return Err(format!("出力先 {} はフォルダではありません", out.display()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_and_drop_keeps_old() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("old.html"), "old").unwrap();

        let failed = Staging::new(&out).unwrap();
        failed.write("a/index.html", b"new").unwrap();
        drop(failed);
        assert_eq!(fs::read_to_string(out.join("old.html")).unwrap(), "old");
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "staging dir removed"
        );

        let ok = Staging::new(&out).unwrap();
        ok.write("a/index.html", b"new").unwrap();
        ok.commit().unwrap();
        assert!(!out.join("old.html").exists());
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "new");
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "old output removed"
        );
    }

    #[test]
    fn refuses_to_write_over_sources() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        assert!(check_out_dir(root, root).is_err());
        assert!(check_out_dir(root, &root.join("content/x")).is_err());
        assert!(check_out_dir(root, &root.join("themes")).is_err());
        assert!(check_out_dir(root, tmp.path().parent().unwrap()).is_err());
        assert!(check_out_dir(root, &root.join("public")).is_ok());
        assert!(check_out_dir(root, &root.join("x/../content")).is_err());
        assert!(check_out_dir(root, &root.join("public/../themes/./x")).is_err());
        assert!(check_out_dir(&root.join("site/.."), &root.join("content")).is_err());
        std::os::unix::fs::symlink(root.join("content"), root.join("link")).unwrap();
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(
            check_out_dir(root, &root.join("link")).is_err(),
            "a symlink into content/"
        );
    }

    #[test]
    fn sweep_removes_what_is_not_kept_and_the_folders_it_empties() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let w = InPlace::new(&out).unwrap();
        for rel in [
            "index.html",
            "a/index.html",
            "a/b/index.html",
            "c/d/index.html",
            "c/e.txt",
        ] {
            w.write(rel, b"x").unwrap();
        }
        let keep: HashSet<&str> = ["index.html", "a/index.html", "c/e.txt"].into();
        assert_eq!(sweep(&out, &keep).unwrap(), 2);
        let mut left: Vec<String> = walkdir::WalkDir::new(&out)
            .min_depth(1)
            .into_iter()
            .map(|i| crate::diag::display_path(&out, i.unwrap().path()))
            .collect();
        left.sort();
        assert_eq!(left, ["a", "a/index.html", "c", "c/e.txt", "index.html"]);
    }

    #[test]
    fn rejects_escaping_paths() {
        let tmp = tempfile::tempdir().unwrap();
        let s = Staging::new(&tmp.path().join("public")).unwrap();
        assert!(s.write("../x", b"").is_err());
        assert!(s.write("a//b", b"").is_err());
        let w = InPlace::new(&tmp.path().join("public")).unwrap();
        assert!(w.write("../x", b"").is_err());
        assert!(w.write("a/./b", b"").is_err());
    }

    #[test]
    fn remove_tree_removes_every_level_and_follows_no_link() {
        let tmp = tempfile::tempdir().unwrap();
        let kept = tmp.path().join("kept");
        fs::create_dir_all(&kept).unwrap();
        fs::write(kept.join("x"), b"x").unwrap();
        let old = tmp.path().join("old");
        for rel in [
            "index.html",
            "a/index.html",
            "a/b/index.html",
            "a/b/c/d/e.txt",
        ] {
            let p = old.join(rel);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, b"x").unwrap();
        }
        fs::create_dir_all(old.join("empty/inner")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&kept, old.join("a/link")).unwrap();
        remove_tree(&old, 2).unwrap();
        assert!(!old.exists());
        assert!(kept.join("x").exists(), "a link's target is not removed");
    }
}
