//! The app's pods run as the user its image declares (the Dockerfile's
//! last `USER`), so that the securityContext and the image agree on who
//! owns what, and `runAsNonRoot` can be checked from a numeric UID. The
//! USER is read by `kit_formats::dockerfile` into [`AppFacts::image_user`].

use crate::objects::Objects;

use super::{AppFacts, containers, describe};

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
