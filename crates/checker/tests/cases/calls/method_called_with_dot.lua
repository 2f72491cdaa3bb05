-- A manifest method reached with `.` needs its receiver.
local db = sql.get("app:db")
db.query("SELECT 1") -- expect-error: `query` is a method of sql.DB and must be called with `:`
db.query(db, "SELECT 1")
