//! The command line's reports, one per chapter (native only).

pub mod api;
pub mod digits;
pub mod evidence;
pub mod playground;
