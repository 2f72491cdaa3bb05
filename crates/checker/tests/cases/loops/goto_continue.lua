-- `goto continue` joins the end of the body.
local function count(xs: {any}): integer
    local n = 0
    for i = 1, #xs do
        local x = xs[i]
        if not x then
            goto continue
        end
        n = n + #x
        ::continue::
    end
    return n
end
print(count({}))
