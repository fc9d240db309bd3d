//! `make reset` deletes every object of every manifest under
//! `k8s/examples/` (`kubectl delete -f`, derived from the files so no list
//! is typed twice). That is safe only while no example names an object of
//! the kit itself: one that did (same kind, namespace and name, or the kit's
//! Namespace) would be deleted by every reset.

use std::collections::BTreeSet;

use crate::yaml::Document;

/// (kind, namespace, name) of an object; the namespace is empty for a
/// cluster-scoped one, or one whose file names none.
fn identity(doc: &Document) -> (String, String, String) {
    let field = |path: &[&str]| {
        path.iter()
            .try_fold(&doc.value, |v, key| v.get(key))
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    (
        field(&["kind"]),
        field(&["metadata", "namespace"]),
        field(&["metadata", "name"]),
    )
}

/// The examples that name an object of the kit (`kit`: what `make deploy`,
/// `make hpa` and `make ingress` apply), or a Namespace the kit's objects
/// live in.
pub fn example_collisions(kit: &[Document], examples: &[Document]) -> Vec<String> {
    let own: BTreeSet<_> = kit.iter().map(identity).collect();
    let namespaces: BTreeSet<String> = own.iter().map(|(_, ns, _)| ns.clone()).collect();
    let mut problems = Vec::new();
    for doc in examples {
        let (kind, namespace, name) = identity(doc);
        let is_own = own.contains(&(kind.clone(), namespace.clone(), name.clone()));
        let holds_own = kind == "Namespace" && namespaces.contains(&name);
        if is_own || holds_own {
            let what = if holds_own {
                "holds the kit's objects"
            } else {
                "is the kit's own"
            };
            problems.push(format!(
                "{}: {kind} {namespace}/{name} {what}: make reset deletes every example object, so rename it",
                doc.origin
            ));
        }
    }
    problems
}
