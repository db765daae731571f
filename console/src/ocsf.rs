//! Events in the Open Cybersecurity Schema Framework (OCSF 1.4.0), for SIEMs.
//!
//! * `blocked`, `override`, `monitor` and `bundle-refused` are **Data Security Finding**
//!   (`class_uid` 2006, category Findings, `category_uid` 2), activity Create
//!   (`activity_id` 1, `type_uid` 200601): the rules are the finding, the action says
//!   whether the post was stopped (`action_id` 2 Denied) or went ahead (1 Allowed).
//! * `status` is **Device Inventory Info** (`class_uid` 5001, category Discovery,
//!   `category_uid` 5), activity Log (`activity_id` 1, `type_uid` 500101): which policy
//!   version, ring, browser and extension version an install runs.
//! * `library-used` is **Web Resources Activity** (`class_uid` 6001, category Application
//!   Activity, `category_uid` 6): the approved post is the web resource (its id, never its
//!   text); `insert` into the composer is activity Import (`activity_id` 6, `type_uid`
//!   600106), `copy` to the clipboard is Export (7, 600107).
//!
//! Whatever has no OCSF attribute goes in `unmapped` under the draftguard name. README
//! "SIEM export" lists every field.

use serde_json::{Value, json};

use crate::event::{Kind, Stored};
use crate::time::format_ms;

pub const VERSION: &str = "1.4.0";

fn severity_id(s: Option<&str>) -> (i64, &'static str) {
    match s {
        Some("block") => (4, "High"),
        Some("warn") => (3, "Medium"),
        Some("info") => (1, "Informational"),
        _ => (0, "Unknown"),
    }
}

/// One stored event as one OCSF object (absent attributes are left out, not null).
pub fn map(s: &Stored) -> Value {
    let mut v = build(s);
    strip_nulls(&mut v);
    v
}

fn strip_nulls(v: &mut Value) {
    match v {
        Value::Object(o) => {
            o.retain(|_, x| !x.is_null());
            o.values_mut().for_each(strip_nulls);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

fn build(s: &Stored) -> Value {
    let e = &s.event;
    let metadata = json!({
        "version": VERSION,
        "uid": e.id,
        "original_time": format_ms(e.time_ms),
        "logged_time": s.received_ms,
        "log_name": "draftguard.audit",
        "event_code": e.kind.name(),
        "product": {
            "name": "draftguard",
            "vendor_name": "draftguard",
            "version": e.extension_version,
            "uid": s.extension_id,
        },
    });
    let device = json!({
        "uid": e.install_id,
        "type_id": 0,
    });
    let mut unmapped = json!({
        "ring": e.ring,
        "enrollment_token": s.token,
        "seq": s.seq,
    });
    if let Some(h) = &e.user_hint {
        unmapped["user_hint"] = h.clone().into();
    }
    if e.kind == Kind::Status {
        return json!({
            "class_uid": 5001,
            "class_name": "Device Inventory Info",
            "category_uid": 5,
            "category_name": "Discovery",
            "activity_id": 1,
            "activity_name": "Log",
            "type_uid": 500101,
            "severity_id": 1,
            "severity": "Informational",
            "time": e.time_ms,
            "metadata": metadata,
            "device": device,
            "unmapped": {
                "ring": e.ring,
                "policy_id": e.policy_id,
                "policy_version": e.policy_version,
                "browser_name": e.browser_name,
                "browser_version": e.browser_version,
                "extension_version": e.extension_version,
                "enrollment_token": s.token,
                "seq": s.seq,
            },
        });
    }
    if e.kind == Kind::LibraryUsed {
        let (activity_id, activity) = match e.action.as_deref() {
            Some("copy") => (7, "Export"),
            _ => (6, "Import"),
        };
        unmapped["action"] = e.action.clone().into();
        unmapped["policy_id"] = e.policy_id.clone().into();
        unmapped["policy_version"] = e.policy_version.clone().into();
        return json!({
            "class_uid": 6001,
            "class_name": "Web Resources Activity",
            "category_uid": 6,
            "category_name": "Application Activity",
            "activity_id": activity_id,
            "activity_name": activity,
            "type_uid": 600100 + activity_id,
            "severity_id": 1,
            "severity": "Informational",
            "status_id": 1,
            "status": "Success",
            "time": e.time_ms,
            "metadata": metadata,
            "device": device,
            "app_name": e.platform,
            "web_resources": [{
                "uid": e.entry,
                "name": e.entry,
                "type": "approved post",
            }],
            "dst_endpoint": e.site.as_ref().map(|s| json!({"hostname": s})),
            "unmapped": unmapped,
        });
    }
    let (sev_id, sev) = severity_id(e.severity.as_deref());
    let (action_id, action, disposition_id, disposition, title) = match e.kind {
        Kind::Blocked => (2, "Denied", 2, "Blocked", "Post blocked by policy"),
        Kind::Override => (
            1,
            "Allowed",
            1,
            "Allowed",
            "Policy block overridden by the user",
        ),
        Kind::Monitor => (
            1,
            "Allowed",
            1,
            "Allowed",
            "Monitor rule matched (not enforced)",
        ),
        _ => (2, "Denied", 2, "Blocked", "Policy bundle refused"),
    };
    if let Some(j) = &e.justification {
        unmapped["justification"] = j.clone().into();
    }
    if let Some(r) = &e.reason {
        unmapped["reason"] = r.clone().into();
    }
    json!({
        "class_uid": 2006,
        "class_name": "Data Security Finding",
        "category_uid": 2,
        "category_name": "Findings",
        "activity_id": 1,
        "activity_name": "Create",
        "type_uid": 200601,
        "severity_id": sev_id,
        "severity": sev,
        "time": e.time_ms,
        "action_id": action_id,
        "action": action,
        "disposition_id": disposition_id,
        "disposition": disposition,
        "is_alert": e.kind == Kind::Blocked,
        "metadata": metadata,
        "finding_info": {
            "uid": e.id,
            "title": title,
            "types": [e.kind.name()],
            "analytic": {
                "type_id": 1,
                "type": "Rule",
                "name": e.rules.join(","),
            },
            "related_analytics": e.rules.iter().map(|r| json!({"type_id": 1, "type": "Rule", "uid": r, "name": r})).collect::<Vec<_>>(),
            "src_url": e.site,
        },
        "policy": {
            "uid": e.policy_id,
            "version": e.policy_version,
            "name": e.policy_id,
        },
        "device": device,
        "app_name": e.platform,
        "status_detail": e.refusal_message,
        "status_code": e.refusal_code,
        "message": e.justification,
        "unmapped": unmapped,
    })
}
