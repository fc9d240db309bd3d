//! The app's HTTP probes ask for paths the app really serves.

use crate::objects::Objects;

use super::ports::probes;
use super::{AppFacts, containers, describe};

pub fn check(objects: &Objects, app: &AppFacts) -> Vec<String> {
    let mut problems = Vec::new();
    for workload in &objects.workloads {
        for container in containers(workload).filter(|c| app.runs_in(c)) {
            for (which, probe) in probes(container) {
                let Some(http) = &probe.http_get else {
                    continue;
                };
                let path = http.path.as_deref().unwrap_or("/");
                if !serves_get(&app.get_paths, path) {
                    problems.push(format!(
                        "{}: container {} {which} probe path {path} is not a GET route of the app",
                        describe(workload),
                        container.name
                    ));
                }
            }
        }
    }
    problems
}

/// Does a set of OpenAPI path templates (`/kv/{key}`) answer GET `path`?
/// A query string is ignored; `{name}` matches one non-empty segment.
pub fn serves_get<'a>(templates: impl IntoIterator<Item = &'a String>, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or("");
    let wanted: Vec<&str> = path.split('/').collect();
    templates.into_iter().any(|template| {
        let parts: Vec<&str> = template.split('/').collect();
        parts.len() == wanted.len()
            && parts
                .iter()
                .zip(&wanted)
                .all(|(t, w)| *t == *w || (t.starts_with('{') && t.ends_with('}') && !w.is_empty()))
    })
}

#[cfg(test)]
mod tests {
    use super::serves_get;

    #[test]
    fn literal_and_templated_paths() {
        let templates = ["/health".to_string(), "/kv/{key}".to_string()];
        assert!(serves_get(&templates, "/health"));
        assert!(serves_get(&templates, "/health?verbose=1"));
        assert!(serves_get(&templates, "/kv/a"));
        assert!(!serves_get(&templates, "/kv/"));
        assert!(!serves_get(&templates, "/healthz"));
    }
}
