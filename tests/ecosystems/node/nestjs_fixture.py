"""A NestJS application made by hand, as the Nest CLI lays one out (nest-cli.json, its own
ESLint flat config and .prettierrc), indented by four spaces, with single quotes: what
`scaffold adopt` meets in the wild. Its build and its tests run on Node.js alone (tsc and
node's test runner), so the slow tier can check they still pass once it is adopted."""

from __future__ import annotations

NEST_APP: dict[str, str] = {
    "package.json": """\
{
    "name": "accounts",
    "version": "1.0.0",
    "description": "User accounts.",
    "private": true,
    "type": "module",
    "scripts": {
        "build": "tsc -p tsconfig.build.json",
        "lint": "eslint .",
        "format:check": "prettier --check .",
        "test": "tsc -p tsconfig.json && node --test \\".test-build/src/**/*.spec.js\\"",
        "test:e2e": "tsc -p tsconfig.json && node --test \\".test-build/test/**/*.e2e-spec.js\\""
    },
    "dependencies": {
        "@nestjs/common": "^12.6.3",
        "@nestjs/core": "^12.6.3",
        "@nestjs/platform-express": "^12.6.3",
        "reflect-metadata": "^0.2.2",
        "rxjs": "^7.8.2"
    },
    "devDependencies": {
        "@eslint/js": "^10.0.1",
        "@nestjs/testing": "^12.6.3",
        "@types/express": "^5.0.6",
        "@types/node": "^24.0.0",
        "@types/supertest": "^7.2.1",
        "eslint": "^10.15.0",
        "prettier": "^3.10.1",
        "supertest": "^7.3.2",
        "typescript": "~6.0.3",
        "typescript-eslint": "^8.74.0"
    }
}
""",
    "nest-cli.json": """\
{
    "$schema": "https://json.schemastore.org/nest-cli",
    "collection": "@nestjs/schematics",
    "sourceRoot": "src",
    "compilerOptions": {
        "deleteOutDir": true
    }
}
""",
    "tsconfig.json": """\
{
    "compilerOptions": {
        "target": "ES2023",
        "module": "NodeNext",
        "moduleResolution": "NodeNext",
        "types": ["node"],
        "strict": true,
        "experimentalDecorators": true,
        "emitDecoratorMetadata": true,
        "skipLibCheck": true,
        "outDir": ".test-build"
    },
    "include": ["src", "test"]
}
""",
    "tsconfig.build.json": """\
{
    "extends": "./tsconfig.json",
    "compilerOptions": {
        "rootDir": "src",
        "outDir": "dist"
    },
    "include": ["src"],
    "exclude": ["src/**/*.spec.ts"]
}
""",
    "eslint.config.mjs": """\
// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
    { ignores: ['dist/', '.test-build/', 'eslint.config.mjs'] },
    eslint.configs.recommended,
    ...tseslint.configs.recommended,
);
""",
    ".prettierrc": """\
{
    "singleQuote": true,
    "tabWidth": 4,
    "trailingComma": "all",
    "printWidth": 100
}
""",
    ".prettierignore": """\
dist/
.test-build/
package-lock.json
""",
    ".gitignore": """\
node_modules/
dist/
.test-build/
""",
    "src/main.ts": """\
import 'reflect-metadata';

import { NestFactory } from '@nestjs/core';

import { AppModule } from './app.module.js';

async function bootstrap(): Promise<void> {
    const app = await NestFactory.create(AppModule);
    app.enableShutdownHooks();
    await app.listen(Number(process.env.PORT ?? 3000));
}

void bootstrap();
""",
    "src/app.module.ts": """\
import { Module } from '@nestjs/common';

import { UsersModule } from './users/users.module.js';

@Module({
    imports: [UsersModule],
})
export class AppModule {}
""",
    "src/users/users.module.ts": """\
import { Module } from '@nestjs/common';

import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

@Module({
    controllers: [UsersController],
    providers: [UsersService],
})
export class UsersModule {}
""",
    "src/users/users.service.ts": """\
import { Injectable, NotFoundException } from '@nestjs/common';

export interface User {
    id: number;
    name: string;
}

@Injectable()
export class UsersService {
    private readonly users: User[] = [
        { id: 1, name: 'Ada' },
        { id: 2, name: 'Grace' },
    ];

    findAll(): User[] {
        return this.users;
    }

    findOne(id: number): User {
        const user = this.users.find((candidate) => candidate.id === id);
        if (!user) {
            throw new NotFoundException(`user ${id} not found`);
        }
        return user;
    }
}
""",
    "src/users/users.controller.ts": """\
import { Controller, Get, Param, ParseIntPipe } from '@nestjs/common';

import { UsersService, type User } from './users.service.js';

@Controller('users')
export class UsersController {
    constructor(private readonly users: UsersService) {}

    @Get()
    findAll(): User[] {
        return this.users.findAll();
    }

    @Get(':id')
    findOne(@Param('id', ParseIntPipe) id: number): User {
        return this.users.findOne(id);
    }
}
""",
    "src/users/users.service.spec.ts": """\
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { UsersService } from './users.service.js';

void describe('UsersService', () => {
    void it('finds a user by id', () => {
        assert.equal(new UsersService().findOne(2).name, 'Grace');
    });

    void it('throws for an unknown id', () => {
        assert.throws(() => new UsersService().findOne(9));
    });
});
""",
    "test/users.e2e-spec.ts": """\
import 'reflect-metadata';

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';

import { AppModule } from '../src/app.module.js';

void describe('users', () => {
    let app: INestApplication;

    before(async () => {
        const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
        app = moduleRef.createNestApplication({ logger: false });
        await app.init();
    });

    after(async () => {
        await app.close();
    });

    void it('lists the users', async () => {
        const response = await request(app.getHttpServer()).get('/users').expect(200);
        assert.equal((response.body as unknown[]).length, 2);
    });
});
""",
}
