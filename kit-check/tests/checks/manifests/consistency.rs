//! Check 3: the manifests agree with each other and with the demo-app, as
//! the app itself describes it (its OpenAPI document and `ENV_VARS`).

use std::io::Write;

use demo_app::config::{ENV_VARS, EnvSource};
use kit_check::consistency::{AppFacts, Source, check_all, resolved_env};
use kit_formats::dockerfile::Dockerfile;

use crate::common::{Edit, assert_clean, kit};

/// What the app serves and reads, asked from the app's own library.
pub(crate) fn app_facts() -> AppFacts {
    let document = demo_app::openapi::document();
    let paths = document["paths"]
        .as_object()
        .expect("the OpenAPI document has paths");
    let get_paths = paths
        .iter()
        .filter(|(_, operations)| operations.get("get").is_some())
        .map(|(path, _)| path.clone())
        .collect();
    let env = ENV_VARS
        .iter()
        .map(|spec| {
            let source = match spec.source {
                EnvSource::Setting => Source::Setting,
                EnvSource::Secret => Source::Secret,
                EnvSource::Downward => Source::Downward,
            };
            (spec.name.to_owned(), source)
        })
        .collect();
    let image_user = image_user();
    AppFacts {
        image: "demo-app".into(),
        get_paths,
        env,
        image_user,
    }
}

/// The numeric USER of demo-app/Dockerfile (None, with a note, while the
/// Dockerfile does not exist yet).
fn image_user() -> Option<(i64, Option<i64>)> {
    let path = testkit::repo_root().join("demo-app/Dockerfile");
    let Ok(dockerfile) = std::fs::read_to_string(&path) else {
        let _ = writeln!(
            std::io::stderr(),
            "note: no demo-app/Dockerfile: the image user is not checked"
        );
        return None;
    };
    let user = Dockerfile::parse(&dockerfile).unwrap().numeric_user();
    assert!(user.is_some(), "demo-app/Dockerfile has no numeric USER");
    user
}

/// The consistency problems of the kit (build + HPA), after `edits`
/// (file, from, to) to a throwaway copy. None when kubectl is missing.
fn problems_after(edits: &[Edit]) -> Option<Vec<String>> {
    Some(check_all(&kit(edits)?.objects(true), &app_facts()))
}

/// Break the copy with `edits`; exactly one problem, containing `expected`.
fn assert_fails_with(edits: &[Edit], expected: &str) {
    let Some(problems) = problems_after(edits) else {
        return;
    };
    assert!(
        problems.len() == 1 && problems[0].contains(expected),
        "expected one problem containing {expected:?}, got {problems:#?}"
    );
}

#[test]
fn the_app_describes_its_routes_and_settings() {
    let app = app_facts();
    assert!(app.get_paths.contains("/health") && app.get_paths.contains("/ready"));
    assert!(app.env.iter().any(|(name, _)| name == "REDIS_HOST"));
}

#[test]
fn the_kit_is_consistent() {
    let Some(problems) = problems_after(&[]) else {
        return;
    };
    assert_clean("inconsistencies", &problems);
}

#[test]
fn a_service_target_port_no_container_declares_fails() {
    assert_fails_with(
        &[("app/service.yaml", "targetPort: http", "targetPort: web")],
        "Service k8s-demo/demo-app: targetPort \"web\" is not a containerPort of Deployment k8s-demo/demo-app",
    );
}

#[test]
fn a_probe_on_an_undeclared_port_fails() {
    assert_fails_with(
        &[(
            "app/deployment.yaml",
            "path: /health\n              port: http",
            "path: /health\n              port: 8080",
        )],
        "container demo-app liveness probe port 8080 is not one of its containerPorts",
    );
}

#[test]
fn a_probe_path_the_app_does_not_serve_fails() {
    assert_fails_with(
        &[("app/deployment.yaml", "path: /ready", "path: /readyz")],
        "container demo-app readiness probe path /readyz is not a GET route of the app",
    );
}

#[test]
fn a_port_setting_no_container_declares_fails() {
    assert_fails_with(
        &[("app/configmap.yaml", "PORT: \"8000\"", "PORT: \"8001\"")],
        "PORT=8001, but no containerPort is 8001",
    );
}

#[test]
fn a_service_selector_that_matches_nothing_fails() {
    assert_fails_with(
        &[(
            "app/service.yaml",
            "selector:\n    app.kubernetes.io/name: demo-app",
            "selector:\n    app.kubernetes.io/name: demo-ap",
        )],
        "Service k8s-demo/demo-app: selector",
    );
}

#[test]
fn a_deployment_selector_that_misses_its_own_pods_fails() {
    assert_fails_with(
        &[(
            "redis/deployment.yaml",
            "matchLabels:\n      app.kubernetes.io/name: redis",
            "matchLabels:\n      app.kubernetes.io/name: redis-cache",
        )],
        "Deployment k8s-demo/redis: spec.selector does not match its own pod template's labels",
    );
}

#[test]
fn a_pdb_selector_that_matches_nothing_fails() {
    assert_fails_with(
        &[(
            "app/pdb.yaml",
            "matchLabels:\n      app.kubernetes.io/name: demo-app",
            "matchLabels:\n      app.kubernetes.io/name: demo-api",
        )],
        "PodDisruptionBudget k8s-demo/demo-app: selector matches no pod template",
    );
}

#[test]
fn a_network_policy_for_pods_that_do_not_exist_fails() {
    assert_fails_with(
        &[(
            "redis/networkpolicy.yaml",
            "podSelector:\n    matchLabels:\n      app.kubernetes.io/name: redis",
            "podSelector:\n    matchLabels:\n      app.kubernetes.io/name: rediss",
        )],
        "NetworkPolicy k8s-demo/redis-allow-app: podSelector matches no pod template",
    );
}

#[test]
fn a_network_policy_allowing_pods_that_do_not_exist_fails() {
    assert_fails_with(
        &[(
            "redis/networkpolicy.yaml",
            "            matchLabels:\n              app.kubernetes.io/name: demo-app",
            "            matchLabels:\n              app.kubernetes.io/name: demo-web",
        )],
        "NetworkPolicy k8s-demo/redis-allow-app: ingress[0].from podSelector matches no pod template",
    );
}

#[test]
fn a_network_policy_port_redis_does_not_listen_on_fails() {
    assert_fails_with(
        &[("redis/networkpolicy.yaml", "port: 6379", "port: 6380")],
        "NetworkPolicy k8s-demo/redis-allow-app: port 6380 is not a containerPort of Deployment k8s-demo/redis",
    );
}

#[test]
fn an_hpa_aimed_at_a_missing_deployment_fails() {
    assert_fails_with(
        &[(
            "hpa/hpa.yaml",
            "    name: demo-app\n  minReplicas",
            "    name: demo-ap\n  minReplicas",
        )],
        "HorizontalPodAutoscaler k8s-demo/demo-app: scaleTargetRef Deployment demo-ap (apps/v1) matches no workload",
    );
}

#[test]
fn a_claim_name_without_its_pvc_fails() {
    assert_fails_with(
        &[(
            "redis/deployment.yaml",
            "claimName: redis-data",
            "claimName: redis-date",
        )],
        "volume data: claimName redis-date matches no PersistentVolumeClaim",
    );
}

#[test]
fn a_setting_the_app_reads_but_nobody_provides_fails() {
    assert_fails_with(
        &[("app/configmap.yaml", "  LOG_LEVEL: info\n", "")],
        "the app reads LOG_LEVEL but nothing provides it",
    );
}

#[test]
fn a_config_map_key_the_app_never_reads_fails() {
    assert_fails_with(
        &[(
            "app/configmap.yaml",
            "  LOG_LEVEL: info\n",
            "  LOG_LEVEL: info\n  LOG_LEVLE: debug\n",
        )],
        "LOG_LEVLE is provided but the app never reads it",
    );
}

#[test]
fn a_secret_key_that_does_not_exist_fails() {
    assert_fails_with(
        &[("app/deployment.yaml", "key: DEMO_USERS", "key: DEMO_USER")],
        "env DEMO_USERS: Secret demo-users has no key DEMO_USER",
    );
}

#[test]
fn a_credential_from_the_wrong_kind_of_source_fails() {
    assert_fails_with(
        &[
            (
                "app/deployment.yaml",
                "            - name: REDIS_PASSWORD\n              valueFrom:\n                secretKeyRef:\n                  name: redis-auth\n                  key: REDIS_PASSWORD\n",
                "",
            ),
            (
                "app/configmap.yaml",
                "  LOG_LEVEL: info\n",
                "  LOG_LEVEL: info\n  REDIS_PASSWORD: hunter2\n",
            ),
        ],
        "REDIS_PASSWORD comes from Setting, the app expects it from Secret",
    );
}

#[test]
fn a_downward_api_variable_for_another_container_fails() {
    assert_fails_with(
        &[(
            "app/deployment.yaml",
            "containerName: demo-app\n                  resource: limits.memory",
            "containerName: app\n                  resource: limits.memory",
        )],
        "env MEMORY_LIMIT: resourceFieldRef names container app, which the pod does not have",
    );
}

#[test]
fn running_as_another_user_than_the_image_fails() {
    if image_user().is_none() {
        return;
    }
    assert_fails_with(
        &[(
            "app/deployment.yaml",
            "runAsUser: 65532",
            "runAsUser: 10001",
        )],
        "container demo-app runs as user Some(10001), its image's USER is 65532",
    );
}

#[test]
fn a_grace_period_shorter_than_the_apps_shutdown_fails() {
    assert_fails_with(
        &[(
            "app/configmap.yaml",
            "MAX_STRESS_SECONDS: \"30\"",
            "MAX_STRESS_SECONDS: \"60\"",
        )],
        "terminationGracePeriodSeconds 45 must exceed SHUTDOWN_DRAIN_SECONDS 5 + MAX_STRESS_SECONDS 60",
    );
}

/// The app's own configuration parser accepts what the app's containers get.
fn app_config_errors(edits: &[Edit]) -> Option<Vec<String>> {
    let objects = kit(edits)?.objects(false);
    let app = app_facts();
    let mut errors = Vec::new();
    for workload in &objects.workloads {
        let spec = workload.template.spec.as_ref().unwrap();
        for container in spec.containers.iter().filter(|c| app.runs_in(c)) {
            let env = resolved_env(&objects, workload, container);
            if let Err(e) = demo_app::config::Config::from_lookup(|name| env.get(name).cloned()) {
                errors.push(e.to_string());
            }
        }
    }
    Some(errors)
}

#[test]
fn the_app_accepts_its_configuration() {
    let Some(errors) = app_config_errors(&[]) else {
        return;
    };
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn a_setting_the_app_rejects_fails() {
    let Some(errors) = app_config_errors(&[(
        "app/configmap.yaml",
        "SESSION_TTL: \"3600\"",
        "SESSION_TTL: \"one hour\"",
    )]) else {
        return;
    };
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("invalid SESSION_TTL"), "{errors:?}");
}
