//! End to end with real editors driven headless against the `vnet-lsp` binary: open an example
//! with an error, get its diagnostics, hover, go to a definition, edit and see the diagnostics
//! change. Neovim is required in CI (`CI=true`); locally a missing editor skips its test with
//! a note. Recipes: /work/shared/recipes/EDITORS.md.

use std::path::{Path, PathBuf};
use std::process::Command;

const SERVER: &str = env!("CARGO_BIN_EXE_vnet-lsp");

/// The example two-tier network with one misspelt reference (`privat_a`, E0002).
fn broken_example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/two-tier.vnet");
    let text = std::fs::read_to_string(example).expect("examples/two-tier.vnet");
    assert!(text.contains("route_table private_a\n"));
    let broken = text.replacen("route_table private_a\n", "route_table privat_a\n", 1);
    std::fs::write(dir.path().join("net.vnet"), broken).expect("write");
    dir
}

/// Whether `program` runs; `None` (skip) locally when it is missing, a failure in CI.
fn editor(program: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(program))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
        assert!(
            !ci,
            "{program} is not installed; .ci/run installs it (apt-get install)"
        );
        eprintln!("note: {program} is not installed: skipping its end-to-end test");
    }
    found
}

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/editors")
        .join(name)
}

/// Runs an editor command with temporary XDG directories and a time limit; returns stdout.
fn run(command: &mut Command, home: &Path) -> (bool, String) {
    for var in [
        "XDG_CONFIG_HOME",
        "XDG_DATA_HOME",
        "XDG_STATE_HOME",
        "XDG_CACHE_HOME",
        "HOME",
    ] {
        command.env(var, home);
    }
    let output = command.output().expect("run the editor");
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    (
        output.status.success(),
        format!("{stdout}\n--- stderr\n{stderr}"),
    )
}

/// What every editor's script reports: the error, the hover, the definition, and the error
/// gone after the edit.
fn assert_session(output: &str) {
    assert!(output.contains("RESULT diagnostics E0002"), "{output}");
    assert!(
        output.contains("RESULT hover **subnet** `prod.app_a`"),
        "{output}"
    );
    assert!(output.contains("RESULT definition line"), "{output}");
    assert!(output.contains("RESULT after edit ["), "{output}");
    assert!(!output.contains("FAIL"), "{output}");
}

#[test]
fn neovim_diagnostics_hover_definition_and_edit() {
    let Some(nvim) = editor("nvim") else {
        return;
    };
    let root = broken_example();
    let home = tempfile::tempdir().expect("temp dir");
    let mut command = Command::new("timeout");
    command
        .arg("60")
        .arg(nvim)
        .args(["--headless", "--clean", "-i", "NONE", "-n", "-c"])
        .arg(format!("luafile {}", script("neovim.lua").display()))
        .env("VNET_LSP", SERVER)
        .env("VNET_ROOT", root.path());
    let (ok, output) = run(&mut command, home.path());
    assert!(ok, "{output}");
    assert_session(&output);
    assert!(
        output.contains("RESULT completion public,private_a,private_b"),
        "{output}"
    );
    assert!(output.contains("RESULT rename edits 2"), "{output}");
    assert!(
        output.contains("RESULT code action Replace with `private_a`"),
        "{output}"
    );
    assert!(
        output.contains("RESULT after second edit [E0006"),
        "{output}"
    );
}

#[test]
fn emacs_eglot_diagnostics_hover_definition_and_edit() {
    let Some(emacs) = editor("emacs") else {
        return;
    };
    let root = broken_example();
    let home = tempfile::tempdir().expect("temp dir");
    let mut command = Command::new("timeout");
    command
        .arg("60")
        .arg(emacs)
        .args(["--batch", "-Q", "-l"])
        .arg(script("eglot.el"))
        .current_dir(root.path())
        .env("VNET_LSP", SERVER)
        .env("VNET_ROOT", root.path());
    let (ok, output) = run(&mut command, home.path());
    assert!(ok, "{output}");
    assert_session(&output);
    assert!(
        output.contains("RESULT completion line: route_table private_a"),
        "{output}"
    );
    assert!(output.contains("RESULT rename count 2"), "{output}");
    assert!(
        output.contains("RESULT code action Replace with `private_b` -> route_table private_b"),
        "{output}"
    );
}

#[test]
fn vim_ale_diagnostics_hover_definition_and_edit() {
    let Some(vim) = editor("vim") else {
        return;
    };
    if !Path::new("/usr/share/vim-ale/plugin/ale.vim").is_file() {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
        assert!(
            !ci,
            "ALE is not installed; .ci/run installs it (apt-get install vim-ale)"
        );
        eprintln!("note: ALE (vim-ale) is not installed: skipping its end-to-end test");
        return;
    }
    let root = broken_example();
    let home = tempfile::tempdir().expect("temp dir");
    let mut command = Command::new("timeout");
    command
        .arg("60")
        .arg(vim)
        .arg("-Nu")
        .arg(script("ale.vim"))
        .args(["-i", "NONE", "-n", "-es"])
        .current_dir(root.path())
        .env("VNET_LSP", SERVER)
        .env("VNET_ROOT", root.path());
    let (ok, output) = run(&mut command, home.path());
    assert!(ok, "{output}");
    assert_session(&output);
    assert!(
        output.contains("RESULT code action Replace with `private_a`"),
        "{output}"
    );
    assert!(
        output.contains("RESULT completion public,private_a,private_b"),
        "{output}"
    );
    assert!(output.contains("RESULT rename edits 2"), "{output}");
}
