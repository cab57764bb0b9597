use std::process::Command;

/// The password goes to a real Secret Service (gnome-keyring on a private D-Bus session) and
/// nowhere else. Needs the packages `dbus` and `gnome-keyring`.
#[test]
fn passwords_live_in_the_os_keychain_and_not_in_the_cache() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/keychain.sh");
    let output = Command::new("dbus-run-session")
        .args(["--", "sh", script, env!("CARGO_BIN_EXE_keychain-check")])
        .output()
        .unwrap_or_else(|e| panic!("dbus-run-session could not run ({e}); install the Debian packages dbus and gnome-keyring"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.contains("keychain ok"),
        "stdout: {stdout}\nstderr: {stderr}"
    );
}
