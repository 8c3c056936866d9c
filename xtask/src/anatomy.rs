//! Where the wasm module's bytes go: its sections, and its code by the crate each function comes
//! from, read from cargo's output (before wasm-bindgen and wasm-opt), whose name section still
//! names every function. A function is counted for the crate of its demangled path's first
//! segment (for `<T as Trait>::f`, the crate of `T`, where generic code is usually instantiated).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use wasmparser::{KnownCustom, Name, Parser, Payload, TypeRef};

use crate::Result;

/// Bytes by section and by crate.
#[derive(Debug, Default, Clone)]
pub struct Anatomy {
    /// Each section's size in bytes (custom sections by their name), largest first.
    pub sections: Vec<(String, u64)>,
    /// Function bodies' bytes by crate, largest first.
    pub code_by_crate: Vec<(String, u64)>,
}

impl Anatomy {
    /// Reads the module at `wasm`.
    pub fn read(wasm: &Path) -> Result<Anatomy> {
        let bytes = fs::read(wasm).map_err(|e| format!("cannot read {}: {e}", wasm.display()))?;
        Self::parse(&bytes).map_err(|e| format!("{}: {e}", wasm.display()))
    }

    fn parse(bytes: &[u8]) -> std::result::Result<Anatomy, wasmparser::BinaryReaderError> {
        let mut sections = BTreeMap::<String, u64>::new();
        let mut bodies = Vec::new(); // (function index, bytes)
        let mut names = BTreeMap::new();
        let mut next_function = 0u32;
        for payload in Parser::new(0).parse_all(bytes) {
            let payload = payload?;
            if let Some((id, range)) = payload.as_section() {
                let name = match &payload {
                    Payload::CustomSection(custom) => format!("custom \"{}\"", custom.name()),
                    _ => section_name(id).to_string(),
                };
                *sections.entry(name).or_default() += range.len() as u64;
            }
            match payload {
                Payload::ImportSection(imports) => {
                    for import in imports.into_imports() {
                        if matches!(import?.ty, TypeRef::Func(_) | TypeRef::FuncExact(_)) {
                            next_function += 1;
                        }
                    }
                }
                Payload::CodeSectionEntry(body) => {
                    bodies.push((next_function, body.range().len() as u64));
                    next_function += 1;
                }
                Payload::CustomSection(custom) => {
                    if let KnownCustom::Name(reader) = custom.as_known() {
                        for name in reader {
                            if let Name::Function(map) = name? {
                                for naming in map {
                                    let naming = naming?;
                                    names.insert(naming.index, crate_of(naming.name));
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        let mut by_crate = BTreeMap::<String, u64>::new();
        for (index, size) in bodies {
            let owner = names
                .get(&index)
                .cloned()
                .unwrap_or_else(|| "(unnamed)".into());
            *by_crate.entry(owner).or_default() += size;
        }
        Ok(Anatomy {
            sections: largest_first(sections),
            code_by_crate: largest_first(by_crate),
        })
    }
}

/// The crate a (mangled or demangled) symbol belongs to.
fn crate_of(symbol: &str) -> String {
    let demangled = format!("{:#}", rustc_demangle::demangle(symbol));
    let path = demangled.trim_start_matches(['<', '&', '*', '(', '[']);
    let path = path
        .strip_prefix("mut ")
        .or_else(|| path.strip_prefix("dyn "))
        .or_else(|| path.strip_prefix("const "))
        .unwrap_or(path);
    match path.find("::") {
        Some(end) if path[..end].chars().all(|c| c.is_alphanumeric() || c == '_') => {
            path[..end].to_string()
        }
        _ => "(other symbols)".into(),
    }
}

/// The standard name of a section id.
fn section_name(id: u8) -> &'static str {
    match id {
        1 => "type",
        2 => "import",
        3 => "function",
        4 => "table",
        5 => "memory",
        6 => "global",
        7 => "export",
        8 => "start",
        9 => "element",
        10 => "code",
        11 => "data",
        12 => "data count",
        _ => "other",
    }
}

fn largest_first(map: BTreeMap<String, u64>) -> Vec<(String, u64)> {
    let mut list: Vec<_> = map.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_belong_to_their_first_crate() {
        assert_eq!(
            crate_of("_ZN9burn_flex3ops6matmul17h0123456789abcdefE"),
            "burn_flex"
        );
        assert_eq!(
            crate_of("<burn_autodiff::Node as core::clone::Clone>::clone"),
            "burn_autodiff"
        );
        assert_eq!(crate_of("<&mut plotters::Chart as Draw>::draw"), "plotters");
        assert_eq!(crate_of("memcpy"), "(other symbols)");
    }

    #[test]
    fn counts_the_bodies_of_a_module_by_crate() {
        // A module importing one function and defining two, named by a name section: function 1
        // (body: no locals, `end`) is `a::f`, function 2 (no locals, `nop nop end`) is `b::g`.
        let mut module = b"\0asm\x01\0\0\0".to_vec();
        module.extend([1, 4, 1, 0x60, 0, 0]); // type section: () -> ()
        module.extend([2, 7, 1, 1, b'm', 1, b'i', 0, 0]); // import m.i: func type 0
        module.extend([3, 3, 2, 0, 0]); // function section: two of type 0
        module.extend([10, 9, 2, 2, 0, 0x0b, 4, 0, 0x01, 0x01, 0x0b]); // code section
        let mut payload = vec![2, 1, 4];
        payload.extend(b"a::f");
        payload.extend([2, 4]);
        payload.extend(b"b::g");
        let mut custom = vec![4];
        custom.extend(b"name");
        custom.extend([1, payload.len() as u8]);
        custom.extend(payload);
        module.extend([0, custom.len() as u8]);
        module.extend(custom);
        let anatomy = Anatomy::parse(&module).unwrap();
        assert_eq!(
            anatomy.code_by_crate,
            [("b".to_string(), 4), ("a".to_string(), 2)]
        );
        assert_eq!(
            anatomy
                .sections
                .iter()
                .find(|(name, _)| name == "code")
                .unwrap()
                .1,
            9
        );
    }
}
