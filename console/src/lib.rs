//! The draftguard admin console: serves signed policy bundles per ring, takes audit events
//! from the extension, answers the dashboard's questions, exports to SIEMs. See README
//! "The admin console".

pub mod auth;
pub mod dashboard;
pub mod demo;
pub mod error;
pub mod event;
pub mod forward;
pub mod ocsf;
pub mod rings;
pub mod serve;
pub mod server;
pub mod store;
pub mod time;
