-- mode: strict
-- `t[#t]` may be nil (an empty array).
local function last(t: {string}): string
    return t[#t] -- expect-error: E0000 returned value 1 may be nil, declared string
end
print(last({}))
