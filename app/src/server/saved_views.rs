//! Saved work-list views (`SaveView`, `RemoveView`): personal to the staff member who saved
//! them — listed, replaced and removed only through queries scoped to their account; each
//! change audited.

use super::accounts::audit;
use super::entities::saved_view;
use super::internal;
use crate::domain::access::Actor;
use crate::domain::casework::{view_query, MAX_VIEWS};
use crate::domain::views::SavedView;
use crate::domain::{AppError, Field, FieldError};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

/// The staff account acting (saved views are for the staff's work list).
fn owner(actor: &Actor) -> Result<i64, AppError> {
    actor.staff().map(|s| s.account).ok_or(AppError::Forbidden)
}

/// The actor's saved views, by name.
pub async fn list<C: ConnectionTrait>(db: &C, actor: &Actor) -> Result<Vec<SavedView>, AppError> {
    let Some(s) = actor.staff() else {
        return Ok(Vec::new());
    };
    Ok(saved_view::Entity::find()
        .filter(saved_view::Column::AccountId.eq(s.account))
        .order_by_asc(saved_view::Column::Name)
        .all(db)
        .await
        .map_err(internal("loading saved views"))?
        .into_iter()
        .map(|v| SavedView {
            id: v.id,
            name: v.name,
            query: v.query,
        })
        .collect())
}

/// Saves the list's query under `name` (the same name again: its query replaced); the id.
pub async fn save<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    name: &str,
    query: &str,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let account = owner(actor)?;
    let name = name.trim().to_string();
    let query = view_query(query).ok_or(AppError::field(Field::Command, FieldError::Invalid))?;
    let mine = || saved_view::Entity::find().filter(saved_view::Column::AccountId.eq(account));
    let existing = mine()
        .filter(saved_view::Column::Name.eq(name.clone()))
        .one(db)
        .await
        .map_err(internal("loading a saved view"))?;
    let id = match existing {
        Some(v) => {
            let id = v.id;
            let mut row: saved_view::ActiveModel = v.into();
            row.query = Set(query.clone());
            row.update(db)
                .await
                .map_err(internal("replacing a saved view"))?;
            id
        }
        None => {
            let count = mine()
                .count(db)
                .await
                .map_err(internal("counting saved views"))?;
            if count as usize >= MAX_VIEWS {
                return Err(AppError::field(
                    Field::Name,
                    FieldError::TooMany { max: MAX_VIEWS },
                ));
            }
            saved_view::ActiveModel {
                account_id: Set(account),
                name: Set(name),
                query: Set(query.clone()),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await
            .map_err(internal("saving a view"))?
            .id
        }
    };
    audit(
        db,
        actor,
        "view.saved",
        format!("view:{id}"),
        Some(query),
        now,
    )
    .await?;
    Ok(id)
}

/// Removes one of the actor's saved views (another person's is not found).
pub async fn remove<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let account = owner(actor)?;
    let gone = saved_view::Entity::delete_many()
        .filter(saved_view::Column::Id.eq(id))
        .filter(saved_view::Column::AccountId.eq(account))
        .exec(db)
        .await
        .map_err(internal("removing a saved view"))?;
    if gone.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    audit(db, actor, "view.removed", format!("view:{id}"), None, now).await
}

mod acts {
    use super::*;
    use crate::domain::casework::{RemoveView, SaveView};
    use crate::server::act::{Ctx, Serve};
    use crate::server::files::Upload;

    impl Serve for SaveView {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<i64, AppError> {
            save(
                &cx.state.db,
                cx.signed_in()?,
                &self.name,
                &self.query,
                cx.now,
            )
            .await
        }
    }

    impl Serve for RemoveView {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<(), AppError> {
            remove(&cx.state.db, cx.signed_in()?, self.view, cx.now).await
        }
    }
}
