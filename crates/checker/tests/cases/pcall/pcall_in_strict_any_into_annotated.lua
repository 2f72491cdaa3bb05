-- mode: strict
-- In strict mode an any from `pcall` needs a proof before it reaches a declared type.
local ok, res = pcall(function() return 1 end)
if ok then
    local n: integer = res -- expect-error: E0000 cannot assign res to `n`: it comes from any/unknown
    print(n)
end
