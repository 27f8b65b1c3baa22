//! A full disk is told apart from other index failures, however tantivy wraps the I/O error.

use std::sync::Arc;

use lantai_index::IndexError;

#[test]
fn enospc_is_storage_full_in_every_wrapping() {
    let enospc = || std::io::Error::from_raw_os_error(28);
    assert!(IndexError::Io(enospc()).is_storage_full());
    assert!(IndexError::Tantivy(tantivy::TantivyError::IoError(Arc::new(enospc()))).is_storage_full());
    let wrapped = tantivy::TantivyError::SystemError(format!("failed to write the segment: {}", enospc()));
    assert!(IndexError::Tantivy(wrapped).is_storage_full());
    let quota = std::io::Error::from_raw_os_error(122);
    assert!(IndexError::Io(quota).is_storage_full());
}

#[test]
fn other_failures_are_not() {
    let denied = std::io::Error::from_raw_os_error(13);
    assert!(!IndexError::Io(denied).is_storage_full());
    assert!(!IndexError::Tantivy(tantivy::TantivyError::SystemError("lock busy".into())).is_storage_full());
}
