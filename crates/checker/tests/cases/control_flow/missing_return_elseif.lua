-- An `elseif` chain without `else` can reach the end.
local function sign(n: number): string -- expect-error: E0010 missing return
    if n > 0 then
        return "+"
    elseif n < 0 then
        return "-"
    end
end
print(sign(1))
