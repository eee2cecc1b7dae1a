//! The one line the terminal shows while a run is going.

use super::Totals;

/// `[ 3/12] authorization-code  5 pass 1 fail 0 error`, cut to `width`
/// characters. The caller prints it after `\r` on a terminal, or as a plain
/// line in a pipeline log.
#[must_use]
pub fn progress_line(
    done: usize,
    total: usize,
    current: &str,
    totals: &Totals,
    width: usize,
) -> String {
    let digits = total.to_string().len();
    let line = format!(
        "[{done:>digits$}/{total}] {current}  {} pass {} fail {} warn {} error",
        totals.pass, totals.fail, totals.warn, totals.error
    );
    super::terminal::truncate(&line, width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_the_width() {
        let totals = Totals {
            pass: 5,
            fail: 1,
            ..Totals::default()
        };
        assert_eq!(
            progress_line(3, 12, "authorization-code", &totals, 80),
            "[ 3/12] authorization-code  5 pass 1 fail 0 warn 0 error"
        );
        let cut = progress_line(3, 12, "authorization-code", &totals, 20);
        assert_eq!(cut.chars().count(), 20);
        assert!(cut.ends_with('…'));
    }
}
