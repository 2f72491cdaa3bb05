-- `if not x then goto continue end` narrows `x` for the rest of the body.
local function total(xs: {string}, lookup: (s: string) -> integer?): integer
    local t = 0
    for _, s in ipairs(xs) do
        local n = lookup(s)
        if n == nil then
            goto continue
        end
        t = t + n
        ::continue::
    end
    return t
end
print(total({}, function() return 1 end))
