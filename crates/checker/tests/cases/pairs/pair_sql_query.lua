-- A SQL handle from a pair, checked.
local function rows(): integer
    local db, err = sql.get("app:db")
    if err then
        return 0
    end
    local res, qerr = db:query("select 1")
    if qerr then
        db:release()
        return 0
    end
    db:release()
    return #res
end
print(rows())
