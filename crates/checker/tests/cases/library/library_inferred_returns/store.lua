-- A library function without annotations: its returns are inferred.
local M = {}

function M.get_db()
    local handle, e = sql.get("app:store")
    if e ~= nil then
        error("store unavailable: " .. tostring(e))
    end
    return handle
end

function M.label(n: integer)
    return "#" .. tostring(n)
end

return M
