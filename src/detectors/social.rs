// TEMPORARY STUB
pub(crate) struct Mention; pub(crate) struct Hashtag; pub(crate) struct Cashtag;
macro_rules! s { ($($t:ident),*) => { $( impl super::Detector for $t {
    fn find(&self, _text: &str, _out: &mut Vec<std::ops::Range<usize>>) {}
    fn canonical(&self, m: &str) -> String { m.to_string() }
    fn message(&self) -> &'static str { "stub {match}" }
} )* } }
s!(Mention, Hashtag, Cashtag);
