//! `vnetc lsp` starts the same server (the `vnet-lsp` binary beside `vnetc`), and says how to
//! install it when it is missing.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

const SERVER: &str = env!("CARGO_BIN_EXE_vnet-lsp");

/// `vnetc`, built beside `vnet-lsp` by `cargo test --workspace`.
fn vnetc() -> Option<PathBuf> {
    let path =
        PathBuf::from(SERVER).with_file_name(format!("vnetc{}", std::env::consts::EXE_SUFFIX));
    if !path.is_file() {
        eprintln!(
            "note: vnetc is not built next to vnet-lsp (run `cargo test --workspace`): skipping"
        );
        return None;
    }
    Some(path)
}

fn framed(messages: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    for m in messages {
        out.extend(format!("Content-Length: {}\r\n\r\n{m}", m.len()).into_bytes());
    }
    out
}

#[test]
fn vnetc_lsp_runs_the_server_on_stdio() {
    let Some(vnetc) = vnetc() else {
        return;
    };
    let mut child = Command::new(vnetc)
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn vnetc lsp");
    let input = framed(&[
        r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}"#,
        r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
        r#"{"jsonrpc":"2.0","id":2,"method":"shutdown","params":null}"#,
        r#"{"jsonrpc":"2.0","method":"exit","params":null}"#,
    ]);
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(&input).expect("write");
    }
    let output = child.wait_with_output().expect("wait");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains(r#""name":"vnet-lsp""#), "{stdout}");
    assert!(stdout.contains(r#""id":2,"result":null"#), "{stdout}");
}

#[test]
fn vnetc_lsp_without_the_server_says_how_to_install_it() {
    let Some(vnetc) = vnetc() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let alone = dir.path().join("vnetc");
    std::fs::copy(vnetc, &alone).expect("copy vnetc");
    let output = Command::new(&alone)
        .arg("lsp")
        .env("PATH", dir.path())
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("cargo install --locked --path lsp"),
        "{stderr}"
    );
}
