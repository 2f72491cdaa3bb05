-- The handle used before its error is checked.
local db, err = sql.get("app:db")
db:release() -- expect-warning: E0021 cannot call a method of `db`: it may be nil (sql.get(…) returns nil when it fails)
print(err)
