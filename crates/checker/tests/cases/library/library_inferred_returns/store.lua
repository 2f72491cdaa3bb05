-- A library function without annotations: its returns are inferred.
local M = {}

function M.get_db()
    local db, err = sql.get("app:db")
    if err then
        error(err)
    end
    return db
end

function M.label(n: integer)
    return "#" .. tostring(n)
end

return M
