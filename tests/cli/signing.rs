//! A team that requires signed commits: `sync` takes incoming journal changes only when
//! signed (git's SSH signing) by a key a member registered; all offline.

use std::path::Path;
use std::process::Command;

use crate::common::team::{TEAMMATE, Team, git_as};

fn keygen(home: &Path, name: &str) -> (String, String) {
    let path = home.join(name);
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
        .arg(&path)
        .output()
        .expect("ssh-keygen (openssh-client) is installed by .ci/run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = std::fs::read_to_string(path.with_extension("pub")).unwrap();
    (
        path.to_string_lossy().into_owned(),
        public.trim().to_string(),
    )
}

/// Records a lead in clone b as tom, commits it (signed with `key` when given) and pushes.
fn push_lead(team: &Team, company: &str, key: Option<&str>) {
    let out = team.growth(
        &team.b,
        &[
            "--as",
            "tom",
            "--today",
            "2026-11-20",
            "lead",
            "add",
            company,
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let home = &team.env.home;
    git_as(&team.b, home, TEAMMATE, &["add", "-A", "."]);
    let mut commit = vec!["-c", "gpg.format=ssh"];
    let signing;
    if let Some(key) = key {
        signing = format!("user.signingkey={key}");
        commit.extend(["-c", &signing, "commit", "-S", "-q", "-m", company]);
    } else {
        commit.extend(["commit", "-q", "-m", company]);
    }
    git_as(&team.b, home, TEAMMATE, &commit);
    git_as(&team.b, home, TEAMMATE, &["push", "-q", "origin", "main"]);
}

#[test]
fn sync_takes_only_commits_signed_by_a_registered_key() {
    let team = Team::new();
    let home = team.env.home.clone();
    let (tom_key, tom_public) = keygen(&home, "tom_key");
    let (stranger_key, _) = keygen(&home, "stranger_key");

    // In clone a: tom's key is registered and the team requires signatures.
    let out = team.growth(
        &team.a,
        &[
            "--as",
            "maria",
            "--today",
            "2026-11-20",
            "member",
            "key",
            "tom",
            &tom_public,
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let config = team.a.join("growth.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("\n[sync]\nrequire_signed_commits = true\n");
    std::fs::write(&config, text).unwrap();
    let sync = team.maria("2026-11-20", &["sync"]);
    assert!(
        sync.status.success(),
        "{}",
        String::from_utf8_lossy(&sync.stderr)
    );
    team.git(&team.b, &["pull", "-q"]);

    // Signed by tom's registered key: taken.
    push_lead(&team, "Signed Co", Some(&format!("{tom_key}.pub")));
    let sync = team.maria("2026-11-20", &["sync"]);
    assert!(
        sync.status.success(),
        "{}",
        String::from_utf8_lossy(&sync.stderr)
    );
    assert!(
        team.ok(&team.a, &["--today", "2026-11-20", "lead", "list"])
            .contains("Signed Co")
    );

    // Unsigned, and signed by a key nobody registered: refused, nothing merged.
    for (company, key) in [
        ("Unsigned Co", None),
        ("Stranger Co", Some(format!("{stranger_key}.pub"))),
    ] {
        let head = team.git(&team.a, &["rev-parse", "HEAD"]);
        push_lead(&team, company, key.as_deref());
        let sync = team.maria("2026-11-20", &["sync"]);
        assert_eq!(sync.status.code(), Some(1), "{company}");
        let stderr = String::from_utf8_lossy(&sync.stderr);
        assert!(
            stderr.contains("without a registered member's signature"),
            "{stderr}"
        );
        assert!(stderr.contains(company), "names the commit: {stderr}");
        assert_eq!(
            team.git(&team.a, &["rev-parse", "HEAD"]),
            head,
            "nothing merged"
        );
        assert!(
            !team
                .ok(&team.a, &["--today", "2026-11-20", "lead", "list"])
                .contains(company)
        );
        // Take it back out of the remote for the next round.
        team.git(&team.b, &["reset", "-q", "--hard", "HEAD~1"]);
        team.git(&team.b, &["push", "-q", "-f", "origin", "main"]);
    }
}
