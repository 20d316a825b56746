//! The workspace as a trust boundary (issue #13): every file in it arrives from teammates
//! through git, so each attack here travels as a real file, most of them by push through a
//! bare remote to a second clone.

use crate::common::BIN;

/// The release of a binary that parses hostile files keeps address-space randomisation of
/// its own image: `growth` is a position-independent executable (ELF type ET_DYN).
#[cfg(target_os = "linux")]
#[test]
fn the_growth_binary_is_a_position_independent_executable() {
    let bytes = std::fs::read(BIN).unwrap();
    assert_eq!(&bytes[..4], b"\x7fELF", "not an ELF file");
    // e_type: two bytes at offset 16, in the byte order EI_DATA (offset 5) names.
    let e_type = match bytes[5] {
        1 => u16::from_le_bytes([bytes[16], bytes[17]]),
        _ => u16::from_be_bytes([bytes[16], bytes[17]]),
    };
    const ET_EXEC: u16 = 2;
    const ET_DYN: u16 = 3;
    assert_ne!(
        e_type, ET_EXEC,
        "growth is linked at a fixed address (non-PIE)"
    );
    assert_eq!(e_type, ET_DYN);
}
