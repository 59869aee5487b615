//! Hostile inputs, each generated at test time in a temporary directory: `vnetc check` gives a
//! clear result (exit 0, 1 with diagnostics, or 2 with a one-line error), never a panic, a hang
//! or unbounded memory. Each run is capped in address space and time.

use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Address-space cap of each run: bounded memory means this is never reached.
const MEMORY_CAP: u64 = 3 << 30;
/// Wall-clock cap of each run (a debug build, on a shared machine).
const TIME_CAP: Duration = Duration::from_secs(300);

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `vnetc ARGS` under the caps; fails the test on a signal, a timeout or a panic.
fn vnetc(args: &[&Path]) -> Run {
    let out_dir = tempfile::tempdir().expect("temp dir");
    let (out_path, err_path) = (out_dir.path().join("out"), out_dir.path().join("err"));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vnetc"));
    cmd.arg("check")
        .arg("--color")
        .arg("never")
        .args(args)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).expect("stdout file"))
        .stderr(std::fs::File::create(&err_path).expect("stderr file"));
    // SAFETY: setrlimit is async-signal-safe; the closure touches nothing else.
    unsafe {
        cmd.pre_exec(|| {
            let cap = libc::rlimit {
                rlim_cur: MEMORY_CAP,
                rlim_max: MEMORY_CAP,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &cap) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().expect("vnetc starts");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > TIME_CAP {
            let _ = child.kill();
            panic!("vnetc check {args:?} did not finish in {TIME_CAP:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let read =
        |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    let run = Run {
        code: status
            .code()
            .unwrap_or_else(|| panic!("vnetc check {args:?} killed: {status}")),
        stdout: read(&out_path),
        stderr: read(&err_path),
    };
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("RUST_BACKTRACE"),
        "vnetc check {args:?} panicked:\n{}",
        run.stderr
    );
    run
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(bytes))
        .expect("write input");
    path
}

/// A small valid VPC named `name`, in its own /24.
fn vpc(name: &str, i: usize) -> String {
    format!(
        "vpc {name} {{\n  region us-east-1\n  cidr 10.{}.{}.0/24\n}}\n",
        i / 256 % 256,
        i % 256
    )
}

#[test]
fn a_50_mb_file_is_checked_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    let block = vpc("vNUM", 0);
    let mut i = 0;
    while text.len() < 50_000_000 {
        text.push_str(&block.replace("NUM", &i.to_string()));
        text.push_str(
            "# a comment line that pads the file, as generated files often are ........\n",
        );
        i += 1;
    }
    let path = write(dir.path(), "big.vnet", text.as_bytes());
    let run = vnetc(&[&path]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("checked 1 file: no errors"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_file_above_the_size_limit_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.vnet");
    let file = std::fs::File::create(&path).unwrap();
    // Sparse: no disk space is used.
    file.set_len(vnet::workspace::MAX_FILE_BYTES + 1).unwrap();
    let run = vnetc(&[&path]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("file too large"), "{}", run.stderr);
}

#[test]
fn ten_thousand_deep_nesting_is_a_syntax_error() {
    let dir = tempfile::tempdir().unwrap();
    for (name, open, close) in [
        ("braces", "{", "}"),
        ("brackets", "[", "]"),
        ("mixed", "{[", "]}"),
    ] {
        let text = format!(
            "vpc a {{\n  region us-east-1\n  cidr {}{}\n}}\n",
            open.repeat(10_000),
            close.repeat(10_000)
        );
        let path = write(dir.path(), &format!("{name}.vnet"), text.as_bytes());
        let run = vnetc(&[&path]);
        assert_eq!(run.code, 1, "{name}: {}{}", run.stdout, run.stderr);
        assert!(
            run.stdout.contains("error[E0001]"),
            "{name}: {}",
            run.stdout
        );
    }
    // Nested blocks where a block is expected.
    let text = format!("vpc a {}{}\n", "{ ".repeat(10_000), "} ".repeat(10_000));
    let path = write(dir.path(), "blocks.vnet", text.as_bytes());
    let run = vnetc(&[&path]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("error[E0001]"), "{}", run.stdout);
}

#[test]
fn a_million_element_list_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let items = vec!["g0"; 1_000_000].join(", ");
    let text = format!(
        "vpc a {{\n  region us-east-1\n  cidr 10.0.0.0/16\n  subnet s {{ az us-east-1a cidr 10.0.0.0/24 }}\n  security_group g0 {{ }}\n  instance i {{ subnet s security_groups [{items}] }}\n}}\n"
    );
    let path = write(dir.path(), "list.vnet", text.as_bytes());
    let run = vnetc(&[&path]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("checked 1 file: no errors"),
        "{}",
        run.stderr
    );
}

/// Many errors on one 1.6 MB line: each is reported once, the line is not quoted under each.
#[test]
fn many_errors_on_one_long_line_are_reported_without_quoting_it() {
    let dir = tempfile::tempdir().unwrap();
    let items: Vec<String> = (0..200_000).map(|i| format!("g{i}")).collect();
    let text = format!(
        "vpc a {{ region us-east-1 cidr 10.0.0.0/16 subnet s {{ az us-east-1a cidr 10.0.0.0/24 }} instance i {{ subnet s security_groups [{}] }} }}\n",
        items.join(", ")
    );
    let path = write(dir.path(), "list.vnet", text.as_bytes());
    let run = vnetc(&[&path]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("unknown name `g199999`"));
    assert!(run.stdout.contains("is not quoted"));
    assert!(run.stderr.contains("200000 errors"), "{}", run.stderr);
    // About 250 bytes per error, not the 1.6 MB line each time.
    assert!(
        run.stdout.len() < 1000 * 200_000,
        "{} bytes of output",
        run.stdout.len()
    );
}

#[test]
fn nul_bytes_are_syntax_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "nul.vnet",
        b"vpc a {\n  region us-east-1\0\n  cidr 10.0.0.0/16\n}\n\0\0",
    );
    let run = vnetc(&[&path]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("error[E0001]"), "{}", run.stdout);
}

#[test]
fn invalid_utf8_is_an_input_error_with_the_offset() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "latin1.vnet",
        b"vpc a {\n  region us-east-1 # caf\xe9\n}\n",
    );
    let run = vnetc(&[&path]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("not UTF-8 text (invalid byte at offset 32)"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_byte_order_mark_and_crlf_line_ends_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/three-tier.vnet"),
    )
    .unwrap();
    let bom = write(
        dir.path(),
        "bom.vnet",
        format!("\u{feff}{example}").as_bytes(),
    );
    let crlf = write(
        dir.path(),
        "crlf.vnet",
        example.replace('\n', "\r\n").as_bytes(),
    );
    for path in [bom, crlf] {
        let run = vnetc(&[&path]);
        assert_eq!(run.code, 0, "{}: {}", path.display(), run.stdout);
    }
    // A syntax error in a CRLF file is located on its line, not shifted.
    let broken = write(
        dir.path(),
        "broken.vnet",
        b"vpc a {\r\n  region us-east-1\r\n  cidr 10.0.0.0/16 }}\r\n",
    );
    let run = vnetc(&[&broken]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("broken.vnet:3:"), "{}", run.stdout);
}

#[test]
fn a_single_10_mb_line_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    // Valid blocks, all on one line.
    let mut line = String::new();
    let mut i = 0;
    while line.len() < 10_000_000 {
        line.push_str(&vpc(&format!("v{i}"), i).replace('\n', " "));
        i += 1;
    }
    line.push('\n');
    let path = write(dir.path(), "line.vnet", line.as_bytes());
    let run = vnetc(&[&path]);
    // 10.x.y.0/24 blocks repeat after 65,536 VPCs: only addressing errors, no panic.
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("checked 1 file"),
        "{}",
        &run.stdout[run.stdout.len().saturating_sub(2000)..]
    );
    // A 10 MB comment line.
    let text = format!("# {}\n{}", "x".repeat(10_000_000), vpc("a", 0));
    let path = write(dir.path(), "comment.vnet", text.as_bytes());
    let run = vnetc(&[&path]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn a_directory_of_10000_files_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..10_000 {
        write(
            dir.path(),
            &format!("f{i:05}.vnet"),
            vpc(&format!("v{i}"), i).as_bytes(),
        );
    }
    let run = vnetc(&[dir.path()]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stderr.contains("checked 10000 files: no errors"),
        "{}",
        run.stdout
    );
}

#[test]
fn symlink_loops_are_skipped_or_reported() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    write(&sub, "a.vnet", vpc("a", 0).as_bytes());
    std::os::unix::fs::symlink("..", sub.join("back")).unwrap();
    let run = vnetc(&[dir.path()]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("checked 1 file"), "{}", run.stderr);
    // A file that is a link to itself, named directly.
    let own = dir.path().join("self.vnet");
    std::os::unix::fs::symlink("self.vnet", &own).unwrap();
    let run = vnetc(&[&own]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("too many levels of symbolic links"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_unreadable_file_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "secret.vnet", vpc("a", 0).as_bytes());
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    // Root reads any file: then a file whose read fails (this process's own memory map).
    let root = unsafe { libc::geteuid() } == 0;
    let path = if root {
        PathBuf::from("/proc/self/mem")
    } else {
        path
    };
    let run = vnetc(&[&path]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    let reason = if root {
        "input/output error"
    } else {
        "permission denied"
    };
    assert!(run.stderr.contains(reason), "{}", run.stderr);
}

#[test]
fn fifos_and_devices_are_refused_not_read_forever() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.vnet");
    let c_path = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    for path in [fifo.as_path(), Path::new("/dev/zero")] {
        let run = vnetc(&[path]);
        assert_eq!(run.code, 2, "{}", path.display());
        assert!(run.stderr.contains("not a regular file"), "{}", run.stderr);
    }
}
