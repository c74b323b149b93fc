//! The container's filesystem: a fresh image tree at every container start, with the pod's volumes
//! mounted over it.
//!
//! Files live in one ordered map by absolute path. A path under a mount belongs to that volume:
//! configMap and secret volumes (and `readOnly` mounts) refuse writes with `Read-only file system`,
//! as the kernel does on a real node; `emptyDir` and claim volumes are handed back to the simulator
//! after the run so the next container of the pod sees them.

use crate::workload::{File, Mount, MountKind};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    File(File),
    Dir,
}

/// Why a filesystem operation failed, worded as busybox prints `strerror`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FsError {
    NotFound,
    ReadOnly,
    IsDir,
    NotDir,
    Exists,
    NotEmpty,
}

impl FsError {
    pub fn strerror(self) -> &'static str {
        match self {
            FsError::NotFound => "No such file or directory",
            FsError::ReadOnly => "Read-only file system",
            FsError::IsDir => "Is a directory",
            FsError::NotDir => "Not a directory",
            FsError::Exists => "File exists",
            FsError::NotEmpty => "Directory not empty",
        }
    }
}

/// Directories of a busybox image (the layout `docker run busybox ls /` shows).
const IMAGE_DIRS: &[&str] = &[
    "/",
    "/bin",
    "/dev",
    "/etc",
    "/home",
    "/proc",
    "/root",
    "/sys",
    "/tmp",
    "/usr",
    "/usr/sbin",
    "/var",
    "/var/spool",
    "/var/www",
];

#[derive(Debug, Clone)]
pub struct Vfs {
    nodes: BTreeMap<String, Node>,
    mounts: Vec<MountInfo>,
}

#[derive(Debug, Clone)]
struct MountInfo {
    path: String,
    kind: MountKind,
    writable: bool,
}

impl Vfs {
    /// The image tree plus the given mounts; `hostname` fills `/etc/hostname` as the kubelet does.
    pub fn new(mounts: &[Mount], hostname: &str) -> Vfs {
        let mut nodes = BTreeMap::new();
        for dir in IMAGE_DIRS {
            nodes.insert(dir.to_string(), Node::Dir);
        }
        let file = |content: &str| {
            Node::File(File {
                content: content.to_string(),
                mode: 0o644,
            })
        };
        nodes.insert("/etc/hostname".into(), file(&format!("{hostname}\n")));
        nodes.insert(
            "/etc/passwd".into(),
            file("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n"),
        );
        nodes.insert(
            "/etc/hosts".into(),
            file(&format!(
                "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n10.244.0.5\t{hostname}\n"
            )),
        );
        let mut vfs = Vfs {
            nodes,
            mounts: Vec::new(),
        };
        for mount in mounts {
            let path = normalize("/", &mount.mount_path);
            vfs.make_dirs(&path);
            // A mount hides what the image had at that path.
            let prefix = format!("{}/", path.trim_end_matches('/'));
            vfs.nodes.retain(|p, _| !p.starts_with(&prefix));
            for (rel, file) in &mount.files {
                let full = normalize(&path, rel);
                if let Some(parent) = parent_of(&full) {
                    vfs.make_dirs(&parent);
                }
                vfs.nodes.insert(full, Node::File(file.clone()));
            }
            let writable = !mount.read_only
                && matches!(
                    mount.kind,
                    MountKind::EmptyDir | MountKind::PersistentVolumeClaim
                );
            vfs.mounts.push(MountInfo {
                path,
                kind: mount.kind,
                writable,
            });
        }
        vfs
    }

    fn make_dirs(&mut self, path: &str) {
        let mut current = String::new();
        self.nodes.insert("/".into(), Node::Dir);
        for segment in path.split('/').filter(|s| !s.is_empty()) {
            current.push('/');
            current.push_str(segment);
            self.nodes.entry(current.clone()).or_insert(Node::Dir);
        }
    }

    fn mount_of(&self, path: &str) -> Option<&MountInfo> {
        self.mounts
            .iter()
            .filter(|m| path == m.path || path.starts_with(&format!("{}/", m.path)))
            .max_by_key(|m| m.path.len())
    }

    fn check_writable(&self, path: &str) -> Result<(), FsError> {
        match self.mount_of(path) {
            Some(m) if !m.writable => Err(FsError::ReadOnly),
            _ => Ok(()),
        }
    }

    pub fn get(&self, path: &str) -> Option<&Node> {
        self.nodes.get(path)
    }

    /// Every path, in order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.nodes.keys().map(|k| k.as_str())
    }

    pub fn is_dir(&self, path: &str) -> bool {
        matches!(self.nodes.get(path), Some(Node::Dir))
    }

    pub fn read(&self, path: &str) -> Result<&File, FsError> {
        match self.nodes.get(path) {
            Some(Node::File(f)) => Ok(f),
            Some(Node::Dir) => Err(FsError::IsDir),
            None => Err(FsError::NotFound),
        }
    }

    fn check_parent(&self, path: &str) -> Result<(), FsError> {
        match parent_of(path) {
            None => Ok(()),
            Some(parent) => match self.nodes.get(&parent) {
                Some(Node::Dir) => Ok(()),
                Some(Node::File(_)) => Err(FsError::NotDir),
                None => Err(FsError::NotFound),
            },
        }
    }

    /// Writes (or appends to) a regular file, creating it with mode 0644.
    pub fn write(&mut self, path: &str, text: &str, append: bool) -> Result<(), FsError> {
        if path == "/dev/null" {
            return Ok(());
        }
        self.check_parent(path)?;
        if let Some(Node::Dir) = self.nodes.get(path) {
            return Err(FsError::IsDir);
        }
        self.check_writable(path)?;
        match self.nodes.get_mut(path) {
            Some(Node::File(f)) => {
                if !append {
                    f.content.clear();
                }
                f.content.push_str(text);
            }
            _ => {
                self.nodes.insert(
                    path.to_string(),
                    Node::File(File {
                        content: text.to_string(),
                        mode: 0o644,
                    }),
                );
            }
        }
        Ok(())
    }

    pub fn mkdir(&mut self, path: &str, parents: bool) -> Result<(), FsError> {
        if self.nodes.contains_key(path) {
            return if parents && self.is_dir(path) {
                Ok(())
            } else {
                Err(FsError::Exists)
            };
        }
        if parents {
            if let Some(parent) = parent_of(path) {
                if !self.nodes.contains_key(&parent) {
                    self.mkdir(&parent, true)?;
                }
            }
        }
        self.check_parent(path)?;
        self.check_writable(path)?;
        self.nodes.insert(path.to_string(), Node::Dir);
        Ok(())
    }

    /// Removes a file, or a directory tree when `recursive`.
    pub fn remove(&mut self, path: &str, recursive: bool) -> Result<(), FsError> {
        match self.nodes.get(path) {
            None => return Err(FsError::NotFound),
            Some(Node::Dir) if !recursive => return Err(FsError::IsDir),
            _ => {}
        }
        if self.mounts.iter().any(|m| m.path == path) {
            return Err(FsError::ReadOnly);
        }
        self.check_writable(path)?;
        let prefix = format!("{}/", path.trim_end_matches('/'));
        self.nodes
            .retain(|p, _| p != path && !p.starts_with(&prefix));
        Ok(())
    }

    pub fn rmdir(&mut self, path: &str) -> Result<(), FsError> {
        if !self.is_dir(path) {
            return Err(if self.nodes.contains_key(path) {
                FsError::NotDir
            } else {
                FsError::NotFound
            });
        }
        if !self.children(path).is_empty() {
            return Err(FsError::NotEmpty);
        }
        self.remove(path, true)
    }

    /// Names directly inside a directory, sorted.
    pub fn children(&self, dir: &str) -> Vec<String> {
        let prefix = if dir == "/" {
            "/".to_string()
        } else {
            format!("{dir}/")
        };
        self.nodes
            .range(prefix.clone()..)
            .take_while(|(p, _)| p.starts_with(&prefix))
            .filter_map(|(p, _)| {
                let rest = &p[prefix.len()..];
                (!rest.is_empty() && !rest.contains('/')).then(|| rest.to_string())
            })
            .collect()
    }

    pub fn set_mode(&mut self, path: &str, mode: u32) -> Result<(), FsError> {
        self.check_writable(path)?;
        match self.nodes.get_mut(path) {
            Some(Node::File(f)) => {
                f.mode = mode;
                Ok(())
            }
            Some(Node::Dir) => Ok(()),
            None => Err(FsError::NotFound),
        }
    }

    /// What the next container of this pod keeps: the files under emptyDir and claim mounts.
    pub fn persisted(&self) -> BTreeMap<String, BTreeMap<String, File>> {
        let mut out = BTreeMap::new();
        for mount in &self.mounts {
            if !matches!(
                mount.kind,
                MountKind::EmptyDir | MountKind::PersistentVolumeClaim
            ) {
                continue;
            }
            let prefix = format!("{}/", mount.path.trim_end_matches('/'));
            let files = crate::sort::btree_map(
                self.nodes
                    .range(prefix.clone()..)
                    .take_while(|(p, _)| p.starts_with(&prefix))
                    .filter(|(p, _)| self.mount_of(p).map(|m| &m.path) == Some(&mount.path))
                    .filter_map(|(p, node)| match node {
                        Node::File(f) => Some((p[prefix.len()..].to_string(), f.clone())),
                        Node::Dir => None,
                    }),
            );
            out.insert(mount.path.clone(), files);
        }
        out
    }

    /// Total bytes of file contents outside mounts (a tmpfs-free container writes them to disk,
    /// but the simulator keeps them in memory, so they are bounded like variables).
    pub fn total_bytes(&self) -> u64 {
        self.nodes
            .values()
            .map(|n| match n {
                Node::File(f) => f.content.len() as u64,
                Node::Dir => 0,
            })
            .sum()
    }
}

/// Joins `path` onto `cwd` and resolves `.` and `..` (no symlinks exist here).
pub fn normalize(cwd: &str, path: &str) -> String {
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{cwd}/{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}

pub fn parent_of(path: &str) -> Option<String> {
    if path == "/" {
        return None;
    }
    let idx = path.rfind('/')?;
    Some(if idx == 0 {
        "/".into()
    } else {
        path[..idx].to_string()
    })
}

pub fn base_name(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/";
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mount(path: &str, kind: MountKind, files: &[(&str, &str)]) -> Mount {
        Mount {
            volume_name: "v".into(),
            mount_path: path.into(),
            read_only: false,
            kind,
            files: files
                .iter()
                .map(|(k, v)| {
                    (
                        k.to_string(),
                        File {
                            content: v.to_string(),
                            mode: 0o644,
                        },
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn config_maps_are_read_only_and_empty_dirs_persist() {
        let mut fs = Vfs::new(
            &[
                mount("/config", MountKind::ConfigMap, &[("a.json", "{}")]),
                mount("/work", MountKind::EmptyDir, &[("old", "1")]),
            ],
            "pod-x",
        );
        assert_eq!(
            fs.read("/config/a.json").map(|f| f.content.as_str()),
            Ok("{}")
        );
        assert_eq!(fs.write("/config/b", "x", false), Err(FsError::ReadOnly));
        assert_eq!(fs.remove("/config/a.json", false), Err(FsError::ReadOnly));
        fs.write("/work/new", "2", false).unwrap();
        fs.write("/tmp/gone", "3", false).unwrap();
        let kept = fs.persisted();
        assert_eq!(kept["/work"].keys().collect::<Vec<_>>(), ["new", "old"]);
        assert!(!kept.contains_key("/tmp"));
    }

    #[test]
    fn paths_normalize_like_the_kernel() {
        assert_eq!(normalize("/tmp", "../etc/./hosts"), "/etc/hosts");
        assert_eq!(normalize("/", "a//b/"), "/a/b");
        assert_eq!(parent_of("/a"), Some("/".into()));
        assert_eq!(base_name("/a/b/"), "b");
    }
}
