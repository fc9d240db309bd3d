//! Offline checks of the manifests under k8s/.
