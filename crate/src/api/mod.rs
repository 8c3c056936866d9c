//! A teacher behind an API: what a client gets back for each query (the response formats and
//! defences), what it pays (budget, rate limit, price), and how the owner watches for
//! extraction (a PRADA-style detector). No weights or training labels ever leave it.

mod account;
pub mod accounts;
mod detector;
pub mod extraction;
mod format;
mod queries;
pub mod spread;

pub use account::Account;
pub use accounts::{Accounts, Sent, Watched};
pub use detector::{DETECTOR_WINDOW, Detector, ks_critical, ks_statistic};
pub use format::Format;
pub use queries::{QueryStream, Source};
