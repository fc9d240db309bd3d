//! The grace period on deletion covers the app's own shutdown: the drain
//! delay (SHUTDOWN_DRAIN_SECONDS) plus the longest request it lets finish
//! (a /stress call of MAX_STRESS_SECONDS). Shorter, and the kubelet's
//! SIGKILL cuts requests off in the middle of every rollout.

use crate::objects::Objects;

use super::env::setting_value;
use super::{AppFacts, containers, describe};

/// Kubernetes' default terminationGracePeriodSeconds.
const DEFAULT_GRACE: i64 = 30;

pub fn check(objects: &Objects, app: &AppFacts) -> Vec<String> {
    let mut problems = Vec::new();
    for workload in &objects.workloads {
        let grace = workload
            .template
            .spec
            .as_ref()
            .and_then(|s| s.termination_grace_period_seconds)
            .unwrap_or(DEFAULT_GRACE);
        for container in containers(workload).filter(|c| app.runs_in(c)) {
            let seconds = |name| {
                setting_value(objects, workload, container, name)
                    .and_then(|v| v.parse::<i64>().ok())
            };
            let (Some(drain), Some(longest)) = (
                seconds("SHUTDOWN_DRAIN_SECONDS"),
                seconds("MAX_STRESS_SECONDS"),
            ) else {
                continue; // Missing settings are the env check's business.
            };
            if grace <= drain + longest {
                problems.push(format!(
                    "{}: terminationGracePeriodSeconds {grace} must exceed SHUTDOWN_DRAIN_SECONDS {drain} \
                     + MAX_STRESS_SECONDS {longest}, or shutdowns cut requests off",
                    describe(workload)
                ));
            }
        }
    }
    problems
}
