// TEMPORARY STUB, replaced by the real detector.
pub(crate) struct AccountNumber;
impl super::Detector for AccountNumber {
    fn find(&self, _text: &str, _out: &mut Vec<std::ops::Range<usize>>) {}
    fn canonical(&self, m: &str) -> String { m.to_string() }
    fn message(&self) -> &'static str { "stub {match}" }
}
