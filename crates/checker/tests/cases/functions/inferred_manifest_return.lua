-- A function returning a manifest call's result returns its type: `db` is a sql.DB.
local function get_db()
    local db, err = sql.get("app:db")
    if err then
        error(err)
    end
    return db
end
local db = get_db()
local rows = db:query("SELECT 1")
db:qurey("SELECT 1") -- expect-error: no method `qurey` on sql.DB
print(rows)
