//! The public side of a report: personal data found in its text (proposed for redaction before
//! the report goes public), the search terms of a text (Indonesian affixes tolerated the same way
//! on every database, because the words are reduced here, not by the database), highlights, and
//! the filters of the public list. Pure: no I/O.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// What kind of personal data a span of text looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PiiKind {
    /// A 16-digit national identity number (NIK).
    Nik,
    Phone,
    Email,
    /// A vehicle registration plate (`DC 1234 AB`).
    Plate,
    /// A name the reporter gave.
    Name,
}

impl PiiKind {
    /// What replaces the span in the public text.
    pub fn mask(self) -> &'static str {
        match self {
            PiiKind::Nik => "[NIK]",
            PiiKind::Phone => "[telepon]",
            PiiKind::Email => "[email]",
            PiiKind::Plate => "[plat]",
            PiiKind::Name => "[nama]",
        }
    }
}

/// One span of personal data found in a text (byte offsets into that text).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PiiMatch {
    pub kind: PiiKind,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Regional codes that begin Indonesian vehicle plates.
const PLATE_CODES: [&str; 58] = [
    "A", "B", "D", "E", "F", "G", "H", "K", "L", "M", "N", "P", "R", "S", "T", "W", "Z", "AA",
    "AB", "AD", "AE", "AG", "BA", "BB", "BD", "BE", "BG", "BH", "BK", "BL", "BM", "BN", "BP", "DA",
    "DB", "DC", "DD", "DE", "DG", "DH", "DK", "DL", "DM", "DN", "DP", "DR", "DT", "DW", "EA", "EB",
    "ED", "KB", "KH", "KT", "KU", "PA", "PB", "PG",
];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// The character before byte `i` (if any).
fn char_before(text: &str, i: usize) -> Option<char> {
    text[..i].chars().next_back()
}

/// Personal data in `text`: NIK numbers, phone numbers, emails, vehicle plates, and the words of
/// `names` (the names the reporter gave; parts shorter than 3 letters are ignored). Sorted by
/// position, never overlapping.
pub fn detect_pii(text: &str, names: &[&str]) -> Vec<PiiMatch> {
    let mut found: Vec<PiiMatch> = Vec::new();
    let mut push = |kind: PiiKind, start: usize, end: usize| {
        found.push(PiiMatch {
            kind,
            start,
            end,
            text: text[start..end].to_string(),
        })
    };
    for (s, e) in emails(text) {
        push(PiiKind::Email, s, e);
    }
    for (kind, s, e) in numbers(text) {
        push(kind, s, e);
    }
    for (s, e) in plates(text) {
        push(PiiKind::Plate, s, e);
    }
    for (s, e) in name_spans(text, names) {
        push(PiiKind::Name, s, e);
    }
    // The system's own report numbers and tracking codes are never personal data: nothing
    // inside them is masked (a group such as `B12A` would otherwise read as a plate).
    let own = own_codes(text);
    found.retain(|m| !own.iter().any(|(s, e)| m.start < *e && *s < m.end));
    found.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    let mut out: Vec<PiiMatch> = Vec::new();
    for m in found {
        match out.last() {
            Some(last) if m.start < last.end => {}
            _ => out.push(m),
        }
    }
    out
}

/// Spans of the system's own identifiers in `text`: report numbers (`ADU-XXXX-XXXX`) and
/// tracking codes (16 Crockford symbols, bare or in groups of four), whole words only.
fn own_codes(text: &str) -> Vec<(usize, usize)> {
    let sym = |c: u8| c.is_ascii_alphanumeric();
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || !char_before(text, i).is_some_and(is_word_char);
        if !starts_word || !sym(bytes[i]) {
            i += 1;
            continue;
        }
        // The longest run of symbols and single dashes from here.
        let mut j = i;
        while j < bytes.len()
            && (sym(bytes[j]) || (bytes[j] == b'-' && j + 1 < bytes.len() && sym(bytes[j + 1])))
        {
            j += 1;
        }
        let ends_word = j >= bytes.len() || !text[j..].chars().next().is_some_and(is_word_char);
        let token = &text[i..j];
        let groups: Vec<&str> = token.split('-').collect();
        let is_reference = groups.len() == 3
            && groups[0].eq_ignore_ascii_case("ADU")
            && groups[1..].iter().all(|g| g.len() == 4);
        let is_code = (groups.len() == 4 && groups.iter().all(|g| g.len() == 4))
            || (groups.len() == 1
                && token.len() == super::tracking::LEN
                && token.bytes().any(|b| b.is_ascii_digit())
                && token.bytes().any(|b| b.is_ascii_alphabetic()));
        if ends_word && (is_reference || (is_code && super::TrackingCode::parse(token).is_ok())) {
            out.push((i, j));
        }
        i = j.max(i + 1);
    }
    out
}

/// `text` with every span replaced by its kind's mask.
pub fn redact(text: &str, matches: &[PiiMatch]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for m in matches {
        if m.start < at || m.end > text.len() {
            continue;
        }
        out.push_str(&text[at..m.start]);
        out.push_str(m.kind.mask());
        at = m.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The automatic proposal: `text` with all personal data found in it masked.
pub fn auto_redact(text: &str, names: &[&str]) -> String {
    redact(text, &detect_pii(text, names))
}

fn emails(text: &str) -> Vec<(usize, usize)> {
    let local = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
    let domain = |c: char| c.is_ascii_alphanumeric() || ".-".contains(c);
    let mut out = Vec::new();
    for (at, _) in text.match_indices('@') {
        let start = text[..at]
            .char_indices()
            .rev()
            .take_while(|(_, c)| local(*c))
            .last()
            .map(|(i, _)| i)
            .unwrap_or(at);
        let mut end = at
            + 1
            + text[at + 1..]
                .char_indices()
                .take_while(|(_, c)| domain(*c))
                .last()
                .map(|(i, c)| i + c.len_utf8())
                .unwrap_or(0);
        while end > at + 1 && text[..end].ends_with(['.', '-']) {
            end -= 1;
        }
        let host = &text[at + 1..end];
        if start < at && host.contains('.') && !host.starts_with('.') {
            out.push((start, end));
        }
    }
    out
}

/// Digit groups separated by single spaces, dots or dashes (a leading `+` kept), judged as NIK
/// (16 digits) or phone numbers (`08…` 10–13 digits, `+62`/`62…` 10–14, `0` area code 9–12).
fn numbers(text: &str) -> Vec<(PiiKind, usize, usize)> {
    // (start, end, digits) of each digit group.
    let mut groups: Vec<(usize, usize, String)> = Vec::new();
    let mut cur: Option<(usize, String)> = None;
    for (i, c) in text.char_indices() {
        if c.is_ascii_digit() {
            match &mut cur {
                Some((_, d)) => d.push(c),
                None => cur = Some((i, c.to_string())),
            }
        } else if let Some((s, d)) = cur.take() {
            groups.push((s, i, d));
        }
    }
    if let Some((s, d)) = cur {
        groups.push((s, text.len(), d));
    }
    let mut out = Vec::new();
    let mut g = 0;
    while g < groups.len() {
        let (start0, _, _) = &groups[g];
        // Not inside a word (`AB12`), except a leading `+`.
        if char_before(text, *start0).is_some_and(|c| c.is_alphabetic()) {
            g += 1;
            continue;
        }
        let plus = char_before(text, *start0) == Some('+');
        let mut digits = String::new();
        let mut best: Option<(PiiKind, usize, usize)> = None;
        let mut h = g;
        while h < groups.len() {
            if h > g {
                let gap = &text[groups[h - 1].1..groups[h].0];
                if !matches!(gap, " " | "." | "-" | ")" | ") ") {
                    break;
                }
            }
            digits.push_str(&groups[h].2);
            if digits.len() > 16 {
                break;
            }
            let after = text[groups[h].1..].chars().next();
            if !after.is_some_and(|c| c.is_alphanumeric()) {
                if let Some(kind) = number_kind(&digits, plus) {
                    let start = if plus { *start0 - 1 } else { *start0 };
                    best = Some((kind, start, groups[h].1));
                }
            }
            h += 1;
        }
        match best {
            Some(b) => {
                let end = b.2;
                out.push(b);
                while g < groups.len() && groups[g].0 < end {
                    g += 1;
                }
            }
            None => g += 1,
        }
    }
    out
}

fn number_kind(digits: &str, plus: bool) -> Option<PiiKind> {
    let n = digits.len();
    if !plus && n == 16 {
        return Some(PiiKind::Nik);
    }
    if digits.starts_with("62") && (10..=14).contains(&n) {
        return Some(PiiKind::Phone);
    }
    if plus {
        return None;
    }
    if digits.starts_with("08") && (10..=13).contains(&n) {
        return Some(PiiKind::Phone);
    }
    if digits.starts_with('0') && !digits.starts_with("00") && (9..=12).contains(&n) {
        return Some(PiiKind::Phone);
    }
    None
}

/// `DC 1234 AB`, `B1234XYZ`: a regional code, 1–4 digits, 1–3 letters, all capitals.
fn plates(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let upper = |i: usize| i < bytes.len() && bytes[i].is_ascii_uppercase();
    let digit = |i: usize| i < bytes.len() && bytes[i].is_ascii_digit();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || !char_before(text, i).is_some_and(is_word_char);
        if !(starts_word && upper(i)) {
            i += 1;
            continue;
        }
        let mut j = i;
        while upper(j) && j - i < 3 {
            j += 1;
        }
        let code = &text[i..j];
        let mut k = j;
        if k < bytes.len() && bytes[k] == b' ' {
            k += 1;
        }
        let d0 = k;
        while digit(k) && k - d0 < 5 {
            k += 1;
        }
        let nd = k - d0;
        let mut l = k;
        if l < bytes.len() && bytes[l] == b' ' {
            l += 1;
        }
        let s0 = l;
        while upper(l) && l - s0 < 4 {
            l += 1;
        }
        let ns = l - s0;
        let ends_word = l >= bytes.len() || !text[l..].chars().next().is_some_and(is_word_char);
        if PLATE_CODES.contains(&code)
            && (1..=4).contains(&nd)
            && (1..=3).contains(&ns)
            && ends_word
        {
            out.push((i, l));
            i = l;
        } else {
            i += 1;
        }
    }
    out
}

/// Whole-word, case-insensitive occurrences of each name and of each part of it (≥ 3 letters).
fn name_spans(text: &str, names: &[&str]) -> Vec<(usize, usize)> {
    let mut needles: Vec<Vec<char>> = Vec::new();
    for name in names {
        let name = name.trim();
        if name.chars().count() >= 3 {
            needles.push(name.to_lowercase().chars().collect());
        }
        for part in name.split(|c: char| !c.is_alphanumeric()) {
            if part.chars().count() >= 3 {
                needles.push(part.to_lowercase().chars().collect());
            }
        }
    }
    // Longest first, so a full name wins over its parts.
    needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
    needles.dedup();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let lower: Vec<char> = chars
        .iter()
        .map(|(_, c)| c.to_lowercase().next().unwrap_or(*c))
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let boundary = i == 0 || !is_word_char(chars[i - 1].1);
        let hit = boundary
            .then(|| {
                needles.iter().find(|n| {
                    let end = i + n.len();
                    end <= chars.len()
                        && lower[i..end] == n[..]
                        && (end == chars.len() || !is_word_char(chars[end].1))
                })
            })
            .flatten();
        match hit {
            Some(n) => {
                let end = i + n.len();
                let end_byte = chars.get(end).map(|c| c.0).unwrap_or(text.len());
                out.push((chars[i].0, end_byte));
                i = end;
            }
            None => i += 1,
        }
    }
    out
}

/// The words of a text, lower-cased (letters and digits).
pub fn words(text: &str) -> impl Iterator<Item = (usize, usize, String)> + '_ {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if is_word_char(c) {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push((s, i, text[s..i].to_lowercase()));
        }
    }
    if let Some(s) = start {
        out.push((s, text.len(), text[s..].to_lowercase()));
    }
    out.into_iter()
}

/// Shortest form kept as a search term (besides the word itself).
const MIN_ROOT: usize = 4;

/// The forms of an Indonesian word the search treats as the same word: the word and what is left
/// after removing particles (`-lah`, `-kah`, `-pun`, `-nya`), suffixes (`-kan`, `-an`, `-i`) and up
/// to two prefixes (`di-`, `ke-`, `se-`, `ber-`, `ter-`, `per-`, `me(N)-`, `pe(N)-`, with the nasal
/// sound changes: `menulis` → `tulis`, `memukul` → `pukul`, `menyapu` → `sapu`, `mengirim` →
/// `kirim`). No dictionary: some forms are not words, which does no harm because a query word
/// matches a text word when their forms share one.
pub fn word_forms(word: &str) -> BTreeSet<String> {
    let w: String = word
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    let mut out = BTreeSet::new();
    if w.is_empty() {
        return out;
    }
    out.insert(w.clone());
    if w.chars().any(|c| c.is_ascii_digit()) || w.chars().count() <= MIN_ROOT {
        return out;
    }
    let long = |s: &str| s.chars().count() >= MIN_ROOT;
    // Particles and possessive.
    let mut bases: BTreeSet<String> = BTreeSet::from([w.clone()]);
    for p in ["lah", "kah", "pun", "nya"] {
        if let Some(rest) = w.strip_suffix(p).filter(|r| long(r)) {
            bases.insert(rest.to_string());
        }
    }
    // Derivational suffixes.
    for b in bases.clone() {
        for s in ["kan", "an", "i"] {
            if let Some(rest) = b.strip_suffix(s).filter(|r| long(r)) {
                bases.insert(rest.to_string());
            }
        }
    }
    // Prefixes, then a second layer (`memper-`, `diper-`, `keber-`…).
    for b in bases.clone() {
        for r in strip_prefix(&b) {
            if long(&r) {
                for r2 in strip_prefix(&r) {
                    if long(&r2) {
                        bases.insert(r2);
                    }
                }
                bases.insert(r);
            }
        }
    }
    // A prefix and a suffix together (`ke-…-an`, `pe-…-an`, `per-…-an`): suffixes again.
    for b in bases.clone() {
        for s in ["kan", "an", "i"] {
            if let Some(rest) = b.strip_suffix(s).filter(|r| long(r)) {
                bases.insert(rest.to_string());
            }
        }
    }
    out.extend(bases);
    out
}

fn strip_prefix(w: &str) -> Vec<String> {
    let mut out = Vec::new();
    let starts_vowel = |s: &str| s.starts_with(['a', 'e', 'i', 'o', 'u']);
    for p in ["di", "ke", "se", "ber", "ter", "per"] {
        if let Some(rest) = w.strip_prefix(p) {
            out.push(rest.to_string());
        }
    }
    for m in ["me", "pe"] {
        let Some(rest) = w.strip_prefix(m) else {
            continue;
        };
        if let Some(r) = rest.strip_prefix("ng") {
            out.push(r.to_string());
            if starts_vowel(r) {
                out.push(format!("k{r}"));
            }
        } else if let Some(r) = rest.strip_prefix("ny") {
            out.push(format!("s{r}"));
        } else if let Some(r) = rest.strip_prefix('m') {
            out.push(r.to_string());
            if starts_vowel(r) {
                out.push(format!("p{r}"));
            }
        } else if let Some(r) = rest.strip_prefix('n') {
            out.push(r.to_string());
            if starts_vowel(r) {
                out.push(format!("t{r}"));
            }
        } else {
            out.push(rest.to_string());
        }
    }
    out
}

/// The terms a text is indexed under: every form of every word, once, space separated.
pub fn index_terms(text: &str) -> String {
    let mut all = BTreeSet::new();
    for (_, _, w) in words(text) {
        all.extend(word_forms(&w).into_iter().filter(|t| is_term(t)));
    }
    all.into_iter().collect::<Vec<_>>().join(" ")
}

/// Terms are plain ASCII letters and digits: safe inside both databases' query syntax.
fn is_term(t: &str) -> bool {
    !t.is_empty() && t.len() <= 40 && t.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A parsed search: for each word typed (at most 6), the forms any of which must occur.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchQuery {
    pub groups: Vec<Vec<String>>,
}

impl SearchQuery {
    pub fn parse(q: &str) -> Self {
        let groups = words(q)
            .map(|(_, _, w)| {
                word_forms(&w)
                    .into_iter()
                    .filter(|t| is_term(t))
                    .collect::<Vec<_>>()
            })
            .filter(|g| !g.is_empty())
            .take(6)
            .collect();
        SearchQuery { groups }
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// SQLite FTS5 syntax: `("jalan") AND ("rusak" OR "kerusakan")`.
    pub fn fts5(&self) -> String {
        self.join(" AND ", " OR ", |t| format!("\"{t}\""))
    }

    /// PostgreSQL `to_tsquery('simple', …)` syntax: `(jalan) & (rusak | kerusakan)`.
    pub fn tsquery(&self) -> String {
        self.join(" & ", " | ", |t| t.to_string())
    }

    fn join(&self, and: &str, or: &str, quote: impl Fn(&str) -> String) -> String {
        self.groups
            .iter()
            .map(|g| {
                format!(
                    "({})",
                    g.iter().map(|t| quote(t)).collect::<Vec<_>>().join(or)
                )
            })
            .collect::<Vec<_>>()
            .join(and)
    }

    /// Whether a text word matches one of the words searched for.
    pub fn matches_word(&self, word: &str) -> bool {
        let forms = word_forms(word);
        self.groups
            .iter()
            .any(|g| g.iter().any(|t| forms.contains(t)))
    }
}

/// `text` cut into runs, each marked when it is a word the search matched (for highlighting).
pub fn highlight(text: &str, query: &SearchQuery) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    if query.is_empty() {
        return vec![(text.to_string(), false)];
    }
    let mut at = 0;
    for (s, e, w) in words(text) {
        if query.matches_word(&w) {
            if s > at {
                out.push((text[at..s].to_string(), false));
            }
            out.push((text[s..e].to_string(), true));
            at = e;
        }
    }
    if at < text.len() {
        out.push((text[at..].to_string(), false));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str, names: &[&str]) -> Vec<(PiiKind, String)> {
        detect_pii(text, names)
            .into_iter()
            .map(|m| (m.kind, m.text))
            .collect()
    }

    #[test]
    fn finds_nik_phones_emails_plates_and_names() {
        let text = "Saya Siti Aminah, NIK 7306012345670001, HP 0812-3456-7890 atau +62 811 2233 4455, \
                    email siti.aminah@contoh.id. Truk DC 1234 AB dan B1234XYZ parkir di RT 03 RW 05.";
        let found = kinds(text, &["Siti Aminah"]);
        assert_eq!(
            found,
            vec![
                (PiiKind::Name, "Siti Aminah".into()),
                (PiiKind::Nik, "7306012345670001".into()),
                (PiiKind::Phone, "0812-3456-7890".into()),
                (PiiKind::Phone, "+62 811 2233 4455".into()),
                (PiiKind::Email, "siti.aminah@contoh.id".into()),
                (PiiKind::Plate, "DC 1234 AB".into()),
                (PiiKind::Plate, "B1234XYZ".into()),
            ]
        );
        let red = auto_redact(text, &["Siti Aminah"]);
        assert!(
            red.starts_with("Saya [nama], NIK [NIK], HP [telepon] atau [telepon], email [email].")
        );
        assert!(red.contains("Truk [plat] dan [plat] parkir di RT 03 RW 05."));
    }

    #[test]
    fn own_report_numbers_and_tracking_codes_are_never_masked() {
        // References whose groups read like plates (`B12A`, `DC12`), and tracking codes.
        for text in [
            "Laporan ADU-SWXM-B12A sudah kami tindak lanjuti.",
            "Nomor laporan Anda: ADU-DC12-AB34.",
            "Kode pelacakan 7K2M-9QXP-B12A-DC34 atau 7K2M9QXPB12ADC34 simpan baik-baik.",
            "Terima kasih atas laporan ADU-K2MA-7QRS (lihat adu-k2ma-7qrs).",
        ] {
            assert_eq!(kinds(text, &[]), vec![], "{text}");
            assert_eq!(auto_redact(text, &[]), text);
        }
        // A plate beside a report number is still masked.
        assert_eq!(
            auto_redact("Laporan ADU-SWXM-B12A: truk DC 1234 AB", &[]),
            "Laporan ADU-SWXM-B12A: truk [plat]"
        );
        // Every reference the system can generate survives every answer template.
        let alphabet = crate::domain::tracking::ALPHABET;
        for a in 0..32usize {
            let g = |k: usize| -> String {
                (0..4)
                    .map(|n| alphabet[(a * 7 + k * 5 + n * 3) % 32] as char)
                    .collect()
            };
            let reference = format!("ADU-{}-{}", g(1), g(2));
            for template in [
                "Laporan {nomor} telah diterima.",
                "Terkait laporan nomor {nomor}, kami sampaikan",
                "({nomor})",
            ] {
                let text = template.replace("{nomor}", &reference);
                assert_eq!(auto_redact(&text, &[]), text, "{reference}");
            }
        }
    }

    #[test]
    fn leaves_ordinary_numbers_and_words_alone() {
        for text in [
            "Jalan rusak sejak 2024-12-05, sepanjang 150 meter, biaya Rp 1.500.000.",
            "Lampu jalan nomor 12 di KM 7 mati; RT 03 RW 05 Kelurahan Binanga.",
            "Antrean 3 jam di loket 2, pukul 08.30 sampai 11.30.",
        ] {
            assert_eq!(kinds(text, &[]), vec![], "{text}");
        }
        // Name parts match whole words only, any case; short parts are ignored.
        assert_eq!(
            kinds("SITI datang; Sitinah tidak. Al juga.", &["Siti Al"]),
            vec![(PiiKind::Name, "SITI".into())]
        );
        // A phone number right after a house number is still found.
        assert_eq!(
            kinds("no 12 08123456789", &[]),
            vec![(PiiKind::Phone, "08123456789".into())]
        );
    }

    #[test]
    fn indonesian_affixes_share_a_form() {
        let same = |a: &str, b: &str| {
            let fa = word_forms(a);
            assert!(
                word_forms(b).iter().any(|f| fa.contains(f)),
                "{a} ~ {b}: {:?} / {:?}",
                fa,
                word_forms(b)
            );
        };
        same("jalan", "jalanan");
        same("jalan", "berjalan");
        same("jalan", "dijalankan");
        same("rusak", "kerusakan");
        same("rusak", "merusak");
        same("baik", "perbaikan");
        same("baik", "memperbaiki");
        same("bersih", "kebersihan");
        same("bersih", "dibersihkan");
        same("tulis", "menulis");
        same("pukul", "memukul");
        same("sapu", "menyapu");
        same("kirim", "mengirim");
        same("lampu", "lampunya");
        same("sampah", "sampahnya");
        let differ = |a: &str, b: &str| {
            let fa = word_forms(a);
            assert!(!word_forms(b).iter().any(|f| fa.contains(f)), "{a} !~ {b}");
        };
        differ("jalan", "lampu");
        differ("makan", "mata");
        differ("air", "banjir");
    }

    #[test]
    fn search_queries_are_safe_and_highlight() {
        let q = SearchQuery::parse("Perbaikan \"jalan\" OR*; 2024");
        assert_eq!(q.groups.len(), 4);
        assert!(q.fts5().contains("(\"2024\")"));
        assert!(!q.fts5().contains('*'));
        assert!(q.tsquery().contains(" & "));
        let marked: Vec<String> = highlight("Jalanan rusak, mohon diperbaiki.", &q)
            .into_iter()
            .filter(|(_, m)| *m)
            .map(|(t, _)| t)
            .collect();
        assert_eq!(marked, vec!["Jalanan", "diperbaiki"]);
        assert!(SearchQuery::parse("  ,.; ").is_empty());
        // Index terms: all forms, ASCII only.
        let terms = index_terms("Perbaikan jalan");
        assert!(terms.split(' ').any(|t| t == "baik"));
        assert!(terms.split(' ').any(|t| t == "jalan"));
    }
}

/// What a signed-in reader does with a public report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReaderAction {
    #[serde(alias = "dukung")]
    Support,
    #[serde(alias = "batal_dukung")]
    Unsupport,
    #[serde(alias = "ikuti")]
    Follow,
    #[serde(alias = "berhenti_ikuti")]
    Unfollow,
}

/// A public report supported or followed (or that taken back) by a signed-in reader.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReaderAct {
    #[serde(default)]
    pub reference: String,
    pub action: ReaderAction,
}

impl crate::act::Act for ReaderAct {
    type Output = ();
    const KEY: &'static str = "reader_action";

    fn next(&self, _: &()) -> Option<String> {
        Some(format!("/laporan/{}", self.reference.trim().to_uppercase()))
    }
}
