-- A `goto` that jumps forward into the scope of a local: Lua 5.3 (and the Wippy runtime)
-- refuse it when they compile the chunk, and so does `wippy check` (L0001).
local function main(attempts: integer)
    local n = 0
    if attempts > 10 then
        goto done
    end
    local step = 2
    n = n + step * attempts
    ::done::
    n = n + 1
    return n
end

return { main = main }
