-- A field of the wrong type in an argument literal.
local function area(r: {w: number, h: number}): number
    return r.w * r.h
end
print(area({ w = 2, h = "3" })) -- expect-error: argument 1 (r): field `h` is string, not number
