//! Column types for typed rows (`#[derive(sqlx::FromRow)]`) that both backends decode alike.

use sqlx::any::{Any, AnyTypeInfo, AnyValueRef};
use sqlx::error::BoxDynError;
use sqlx::{Decode, Type};

/// A yes/no column: SQLite stores flags as 0/1 integers, PostgreSQL's `CASE … THEN 1` and
/// `EXISTS` give integers or booleans. `bool` alone decodes only the latter through `Any`, so
/// every such column used to be read as `i64` and compared with 0 by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Flag(pub bool);

impl Flag {
    pub fn get(self) -> bool {
        self.0
    }
}

impl From<Flag> for bool {
    fn from(flag: Flag) -> bool {
        flag.0
    }
}

impl Type<Any> for Flag {
    fn type_info() -> AnyTypeInfo {
        <i64 as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        <i64 as Type<Any>>::compatible(ty) || <bool as Type<Any>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Any> for Flag {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        match <i64 as Decode<'r, Any>>::decode(value.clone()) {
            Ok(n) => Ok(Flag(n != 0)),
            Err(_) => Ok(Flag(<bool as Decode<'r, Any>>::decode(value)?)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::any::AnyPoolOptions;

    #[derive(sqlx::FromRow)]
    struct Flags {
        one: Flag,
        zero: Flag,
        maybe: Option<Flag>,
    }

    #[tokio::test]
    async fn flags_decode_from_integers_and_nulls() {
        sqlx::any::install_default_drivers();
        let Ok(pool) = AnyPoolOptions::new().connect("sqlite::memory:").await else {
            panic!("an in-memory SQLite database");
        };
        let row: Flags = sqlx::query_as("SELECT 1 AS one, 0 AS zero, NULL AS maybe")
            .fetch_one(&pool)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(row.one.get());
        assert!(!row.zero.get());
        assert_eq!(row.maybe, None);
    }
}
