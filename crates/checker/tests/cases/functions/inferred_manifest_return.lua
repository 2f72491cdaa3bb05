-- A function returning a manifest call's result returns its type: `db` is a sql.DB.
local function open_main()
    local conn, open_err = sql.get("app:main")
    assert(not open_err, "no database")
    return conn
end
local db = open_main()
local rows = db:query("SELECT 1")
db:qurey("SELECT 1") -- expect-error: no method `qurey` on sql.DB
print(rows)
