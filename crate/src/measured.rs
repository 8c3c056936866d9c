//! The measured files the page ships (`data/*.csv`, written by `distill report`): one run per
//! line under a fixed header. Reading one names the file, and the line and field that is
//! damaged, and a file cut short by whole lines is caught by its settings' seed counts.

/// The fields of one line, read with messages that say which field is wrong and why.
pub struct Fields<'a>(Vec<&'a str>);

impl<'a> Fields<'a> {
    /// Field `i` as written.
    pub fn text(&self, i: usize) -> &'a str {
        self.0[i]
    }

    /// Field `i` as a finite number.
    pub fn number(&self, i: usize) -> Result<f64, String> {
        self.0[i]
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("`{}` is not a number", self.0[i]))
    }

    /// Field `i` as a count.
    pub fn count(&self, i: usize) -> Result<usize, String> {
        self.0[i]
            .parse::<usize>()
            .map_err(|_| format!("`{}` is not a count", self.0[i]))
    }

    /// Field `i` as one of `all`, by the name `name` gives it; `what` names the kind.
    pub fn choice<T: Copy>(
        &self,
        i: usize,
        all: &[T],
        name: impl Fn(T) -> &'static str,
        what: &str,
    ) -> Result<T, String> {
        all.iter()
            .copied()
            .find(|&t| name(t) == self.0[i])
            .ok_or_else(|| format!("unknown {what} `{}`", self.0[i]))
    }
}

/// The runs of the CSV `bytes` of the file `name`, whose first line must be `header`; each
/// further line is read by `row`. A damaged file is named with its line and why.
pub fn read<R>(
    bytes: &[u8],
    name: &str,
    header: &str,
    row: impl Fn(&Fields) -> Result<R, String>,
) -> Result<Vec<R>, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| format!("{name}: not UTF-8 text"))?;
    let mut lines = text.lines();
    if lines.next() != Some(header) {
        return Err(format!("{name}: its first line is not `{header}`"));
    }
    let width = header.split(',').count();
    let runs: Vec<R> = lines
        .enumerate()
        .filter(|(_, l)| !l.is_empty())
        .map(|(i, line)| {
            let fields: Vec<&str> = line.split(',').collect();
            if fields.len() != width {
                Err(format!("{} fields, not {width}", fields.len()))
            } else {
                row(&Fields(fields))
            }
            .map_err(|why| format!("{name}, line {}: {why}", i + 2))
        })
        .collect::<Result<_, _>>()?;
    if runs.is_empty() {
        return Err(format!("{name}: no measurements"));
    }
    Ok(runs)
}

/// Every setting of a file is measured on the same seeds: given each setting's name and seed
/// count, the first with fewer than the most, as a message naming the file.
pub fn complete(name: &str, seeds: &[(String, usize)]) -> Result<(), String> {
    let most = seeds.iter().map(|(_, n)| *n).max().unwrap_or(0);
    match seeds.iter().find(|(_, n)| *n < most) {
        Some((setting, n)) => Err(format!(
            "{name} is incomplete: {setting} has {n} seeds, the others {most}"
        )),
        None => Ok(()),
    }
}

/// The median of `values` (the mean of the middle two for an even count; 0 for none).
pub fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(f: &Fields) -> Result<(usize, f64), String> {
        Ok((f.count(0)?, f.number(1)?))
    }

    #[test]
    fn a_damaged_file_is_named_with_its_line_and_field() {
        let read = |text: &str| read(text.as_bytes(), "f.csv", "n,x", pair);
        assert_eq!(read("n,x\n1,0.5\n2,1\n"), Ok(vec![(1, 0.5), (2, 1.0)]));
        assert_eq!(
            read("n,y\n"),
            Err("f.csv: its first line is not `n,x`".into())
        );
        assert_eq!(read("n,x\n"), Err("f.csv: no measurements".into()));
        assert_eq!(
            read("n,x\n1,0.5\n2,inf\n"),
            Err("f.csv, line 3: `inf` is not a number".into())
        );
        assert_eq!(
            read("n,x\n1,0.5,3\n"),
            Err("f.csv, line 2: 3 fields, not 2".into())
        );
        assert_eq!(
            read("n,x\n-1,0.5\n"),
            Err("f.csv, line 2: `-1` is not a count".into())
        );
        assert!(read(&String::from_utf8_lossy(&[b'n', b',', b'x', b'\n', 0xff])).is_err());
    }

    #[test]
    fn a_setting_short_of_seeds_is_named_and_medians_are_hand_checked() {
        let seeds = |n: &[usize]| -> Vec<(String, usize)> {
            n.iter()
                .enumerate()
                .map(|(i, &n)| (format!("s{i}"), n))
                .collect()
        };
        assert_eq!(complete("f.csv", &seeds(&[3, 3])), Ok(()));
        assert_eq!(
            complete("f.csv", &seeds(&[3, 2, 3])),
            Err("f.csv is incomplete: s1 has 2 seeds, the others 3".into())
        );
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(&[]), 0.0);
    }
}
