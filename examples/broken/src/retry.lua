-- Valid Wippy Lua the real runtime runs, but the bundled Luau runtime cannot: a backward goto
-- (a retry loop). `wippy check` warns (L0001) where `wippy pack --bytecode` would refuse.
local function main(attempts: integer)
    local n = 0
    ::again::
    n = n + 1
    if n < attempts then
        goto again
    end
    return n
end

return { main = main }
