-- An integer field compared with a string literal is always false (E0019).
local function ok(resp: {status: integer}): boolean
    return resp.status == "200" -- expect-error: comparison of integer with string is always false
end
local function ok2(resp: {status: integer}): boolean
    return resp.status ~= "200" -- expect-error: is always true
end
print(ok({ status = 200 }), ok2({ status = 200 }))
