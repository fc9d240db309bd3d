//! The app's pods run as the user its image declares (the Dockerfile's
//! last `USER`), so that the securityContext and the image agree on who
//! owns what, and `runAsNonRoot` can be checked from a numeric UID.

use crate::objects::Objects;

use super::{AppFacts, containers, describe};

/// The numeric `USER uid[:gid]` of a Dockerfile's final stage.
pub fn dockerfile_user(dockerfile: &str) -> Option<(i64, Option<i64>)> {
    let last_stage = dockerfile
        .lines()
        .map(str::trim)
        .rev()
        .take_while(|line| !line.to_ascii_uppercase().starts_with("FROM "))
        .collect::<Vec<_>>();
    let user = last_stage.iter().find_map(|line| {
        let (instruction, rest) = line.split_once(char::is_whitespace)?;
        instruction
            .eq_ignore_ascii_case("USER")
            .then(|| rest.trim())
    })?;
    let (uid, gid) = match user.split_once(':') {
        Some((uid, gid)) => (uid, Some(gid)),
        None => (user, None),
    };
    Some((uid.parse().ok()?, gid.map(str::parse).transpose().ok()?))
}

pub fn check(objects: &Objects, app: &AppFacts) -> Vec<String> {
    let Some((uid, gid)) = app.image_user else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    for workload in &objects.workloads {
        let pod = workload
            .template
            .spec
            .as_ref()
            .and_then(|s| s.security_context.as_ref());
        for container in containers(workload).filter(|c| app.runs_in(c)) {
            let own = container.security_context.as_ref();
            let run_as_user = own
                .and_then(|s| s.run_as_user)
                .or(pod.and_then(|p| p.run_as_user));
            let run_as_group = own
                .and_then(|s| s.run_as_group)
                .or(pod.and_then(|p| p.run_as_group));
            if run_as_user != Some(uid) {
                problems.push(format!(
                    "{}: container {} runs as user {run_as_user:?}, its image's USER is {uid}",
                    describe(workload),
                    container.name
                ));
            }
            if let Some(gid) = gid
                && run_as_group != Some(gid)
            {
                problems.push(format!(
                    "{}: container {} runs as group {run_as_group:?}, its image's USER group is {gid}",
                    describe(workload),
                    container.name
                ));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::dockerfile_user;

    #[test]
    fn the_final_stage_user_counts() {
        let text = "FROM a AS build\nUSER 1000\nFROM b\nUSER 65532:65532\nEXPOSE 8000\n";
        assert_eq!(dockerfile_user(text), Some((65532, Some(65532))));
        assert_eq!(dockerfile_user("FROM a\nUSER 10001\n"), Some((10001, None)));
        assert_eq!(dockerfile_user("FROM a\nUSER nonroot\n"), None);
        assert_eq!(dockerfile_user("FROM a\nUSER 1\nFROM b\n"), None);
    }
}
