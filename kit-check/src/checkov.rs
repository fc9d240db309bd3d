//! Policy: checkov (from PyPI, in the project's `.venv`) must report no
//! failed check. Deliberate exceptions are annotations on the object,
//! `checkov.io/skipN: CKV_K8S_XX=reason`, and each must give its reason.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::yaml::Document;

/// What checkov found.
#[derive(Debug)]
pub struct Report {
    pub passed: u64,
    pub skipped: u64,
    /// One line per failed check: `CKV_K8S_22 (title) on resource`.
    pub failed: Vec<String>,
}

/// Run checkov's Kubernetes checks on these manifest files.
pub fn run(checkov: &Path, files: &[PathBuf]) -> Result<Report, String> {
    let mut command = Command::new(checkov);
    command.args([
        "--framework",
        "kubernetes",
        "--output",
        "json",
        "--quiet",
        "--compact",
    ]);
    // Offline: no policy metadata from the vendor's servers.
    command.arg("--skip-download");
    for file in files {
        command.arg("--file").arg(file);
    }
    let out = command
        .output()
        .map_err(|e| format!("cannot run {}: {e}", checkov.display()))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let json: Value = serde_json::from_str(&stdout).map_err(|e| {
        format!(
            "checkov printed no JSON report ({e}); its error output:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    })?;
    // One report per framework: a list when there are several.
    let reports: Vec<&Value> = match &json {
        Value::Array(list) => list.iter().collect(),
        single => vec![single],
    };
    let mut report = Report {
        passed: 0,
        skipped: 0,
        failed: Vec::new(),
    };
    for one in reports {
        let count = |key: &str| {
            one.pointer(&format!("/summary/{key}"))
                .and_then(Value::as_u64)
        };
        report.passed += count("passed").unwrap_or(0);
        report.skipped += count("skipped").unwrap_or(0);
        if count("parsing_errors").unwrap_or(0) > 0 {
            return Err(format!("checkov could not parse a file: {one}"));
        }
        for failed in one
            .pointer("/results/failed_checks")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let field = |key: &str| failed.get(key).and_then(Value::as_str).unwrap_or("?");
            report.failed.push(format!(
                "{} ({}) on {}",
                field("check_id"),
                field("check_name"),
                field("resource")
            ));
        }
    }
    if report.passed == 0 {
        return Err(format!("checkov ran no check: {stdout}"));
    }
    Ok(report)
}

/// Every `checkov.io/skip*` annotation must name a check and give a reason.
pub fn skips_without_reason(docs: &[Document]) -> Vec<String> {
    let mut problems = Vec::new();
    for doc in docs {
        let Some(annotations) = doc
            .value
            .pointer("/metadata/annotations")
            .and_then(Value::as_object)
        else {
            continue;
        };
        for (key, value) in annotations {
            if !key.starts_with("checkov.io/skip") {
                continue;
            }
            let value = value.as_str().unwrap_or("");
            let (check, reason) = value.split_once('=').unwrap_or((value, ""));
            let names_a_check = check.starts_with("CKV") && !check.contains(' ');
            // A reason is a sentence, not a word.
            if !names_a_check || reason.split_whitespace().count() < 4 {
                problems.push(format!(
                    "{}: annotation {key}: {value:?} must be CKV_..=<reason why this check does not apply>",
                    doc.origin
                ));
            }
        }
    }
    problems
}
