//! Page data loaded from the server, decoded one way whether it came in the page or from a server function.

use codee::{Decoder, Encoder};
use leptos::prelude::Resource;
use serde::{de::DeserializeOwned, Serialize};
use std::future::Future;

/// A resource of the app: like Leptos's `crate::ui::Res<T>`, but its hydration data (the JSON the
/// server writes into the page) is read with `serde_json::from_slice`, the reader server
/// functions' answers are read with. With Leptos's default (`from_str`) every type a page loads
/// had its JSON decoder compiled twice into the wasm, once per reader.
pub type Res<T> = Resource<T, JsonBytes>;

/// The JSON codec of [`Res`]: written as text, read as bytes.
pub struct JsonBytes;

impl<T: Serialize> Encoder<T> for JsonBytes {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(val: &T) -> Result<String, serde_json::Error> {
        serde_json::to_string(val)
    }
}

impl<T: DeserializeOwned> Decoder<T> for JsonBytes {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(val: &str) -> Result<T, serde_json::Error> {
        serde_json::from_slice(val.as_bytes())
    }
}

/// A [`Res`] that loads `fetcher(source())` and again whenever `source` changes; the page's
/// HTML waits for it only inside a `Suspense` (Leptos's `Resource::new`; no page needs
/// `new_blocking`).
#[track_caller]
pub fn resource<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Res<T>
where
    S: PartialEq + Clone + Send + Sync + 'static,
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the server writes, the browser reads back the same.
    #[test]
    fn hydration_data_round_trips() {
        let value = (
            7_i64,
            "café \"quoted\"".to_string(),
            vec![Some(1.5_f64), None],
        );
        let text = <JsonBytes as Encoder<_>>::encode(&value).unwrap_or_default();
        let back: Result<(i64, String, Vec<Option<f64>>), _> =
            <JsonBytes as Decoder<_>>::decode(&text);
        assert_eq!(back.ok(), Some(value));
    }
}
